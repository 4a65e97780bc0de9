package dev.facteur.connectors.kb;

/**
 * An embedding as PostgreSQL reads it: {@code [..]} for pgvector's {@code vector}, {@code {..}} for a {@code real[]}.
 * Each component is written in hexadecimal floating-point ({@code 0x1.99999ap-4}), as {@link Double#toHexString}
 * writes it: exact (both types parse it with C's {@code strtof}) and cheaper than Java 17's shortest decimal, which
 * was 4 % of the engine JVM's CPU at capacity. Written here digit by digit because {@code Double.toHexString} trims
 * its zeros with a regular expression: with a few hundred components per chunk that took 7 % of the engine's CPU in
 * the benchmark suite.
 */
final class VectorLiteral {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int SIGNIFICAND_BITS = 52;

    private VectorLiteral() {}

    static String of(float[] vector, boolean pgvector) {
        StringBuilder text = new StringBuilder(vector.length * 16).append(pgvector ? '[' : '{');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            appendHex(text, vector[i]);
        }
        return text.append(pgvector ? ']' : '}').toString();
    }

    /** Appends what {@code Double.toHexString(value)} returns. */
    static void appendHex(StringBuilder text, float value) {
        if (!Float.isFinite(value)) {
            text.append(Double.toHexString(value)); // NaN, Infinity: refused by both types either way
            return;
        }
        long bits = Double.doubleToRawLongBits(value); // a float is never subnormal as a double
        if (bits < 0) {
            text.append('-');
        }
        long significand = bits & ((1L << SIGNIFICAND_BITS) - 1);
        int exponent = (int) ((bits >>> SIGNIFICAND_BITS) & 0x7ff);
        if (exponent == 0) {
            text.append("0x0.0p0"); // zero
            return;
        }
        text.append("0x1.");
        int digits = SIGNIFICAND_BITS / 4;
        while (digits > 1 && (significand & 0xf) == 0) {
            significand >>>= 4;
            digits--;
        }
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            text.append(HEX[(int) ((significand >>> shift) & 0xf)]);
        }
        text.append('p').append(exponent - 1023);
    }
}
