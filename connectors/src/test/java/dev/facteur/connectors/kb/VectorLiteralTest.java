package dev.facteur.connectors.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorLiteralTest {

    private static String written(float value) {
        StringBuilder text = new StringBuilder();
        VectorLiteral.appendHex(text, value);
        return text.toString();
    }

    @Test
    void everyComponentIsWrittenAsTheJdksHexadecimalFloatingPoint() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 1_000_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            assertThat(written(value))
                    .as("bits %08x", Float.floatToRawIntBits(value))
                    .isEqualTo(Double.toHexString(value));
        }
    }

    @Test
    void zerosSubnormalsExtremesAndNonFiniteValuesToo() {
        float[] values = {
            0f,
            -0f,
            1f,
            -1f,
            0.5f,
            2f,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            Float.MIN_NORMAL,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            0.1f,
            1e-40f,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY
        };
        for (float value : values) {
            assertThat(written(value)).as("%s", value).isEqualTo(Double.toHexString(value));
        }
    }

    @Test
    void aVectorIsBracketedForPgvectorAndBracedForAnArray() {
        float[] vector = {0.25f, -3f};

        assertThat(VectorLiteral.of(vector, true)).isEqualTo("[0x1.0p-2,-0x1.8p1]");
        assertThat(VectorLiteral.of(vector, false)).isEqualTo("{0x1.0p-2,-0x1.8p1}");
        assertThat(VectorLiteral.of(new float[0], true)).isEqualTo("[]");
    }

    @Test
    void theWrittenValueReadsBackBitForBit() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            float value = (float) random.nextDouble(-1, 1);
            assertThat(Float.parseFloat(written(value))).isEqualTo(value);
        }
    }
}
