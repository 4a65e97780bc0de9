package dev.facteur.connectors.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTextTest {

    @Test
    void inlineMarkupAndHtmlAreEscapedAndLineBreaksFolded() {
        assertThat(MarkdownText.literal("**bold** <img src=x> [a](b) `c` &amp; |x| ~~s~~\n\n### head"))
                .isEqualTo(
                        "\\*\\*bold\\*\\* \\<img src=x\\> \\[a\\](b) \\`c\\` \\&amp; \\|x\\| \\~\\~s\\~\\~ ### head");
    }

    @Test
    void blockMarkersAreEscapedOnlyAtTheStart() {
        assertThat(MarkdownText.literal("# title")).isEqualTo("\\# title");
        assertThat(MarkdownText.literal("- item")).isEqualTo("\\- item");
        assertThat(MarkdownText.literal("12. item")).isEqualTo("12\\. item");
        assertThat(MarkdownText.literal("high-risk v1.2 (see #4)")).isEqualTo("high-risk v1.2 (see #4)");
    }

    @Test
    void aCutTextNeverEndsInsideAnEscapeOrASurrogatePair() {
        String cut = MarkdownText.literal("a" + "*".repeat(20), 10);
        assertThat(cut).hasSizeLessThanOrEqualTo(10).endsWith("…").doesNotEndWith("\\…");
        assertThat(MarkdownText.literal("😀".repeat(20), 9)).isEqualTo("😀😀😀😀…");
        assertThat(MarkdownText.literal("short", 10)).isEqualTo("short");
    }

    @Test
    void codeSpansCannotBeClosedFromInside() {
        assertThat(MarkdownText.code("a`b\nc", 20)).isEqualTo("`a'b c`");
    }

    @Test
    void boundedLinesStopAtALineAndSaySo() {
        assertThat(MarkdownText.lines(List.of("aaaa", "bbbb", "cccc"), 12, "…")).isEqualTo("aaaa\nbbbb\n…");
        assertThat(MarkdownText.lines(List.of("aaaa", "bbbb"), 12, "…")).isEqualTo("aaaa\nbbbb");
    }
}
