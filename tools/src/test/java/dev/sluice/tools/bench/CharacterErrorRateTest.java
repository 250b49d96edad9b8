package dev.sluice.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CharacterErrorRateTest {

    @Test
    void shouldIgnoreWhitespaceRunsAndCompatibilityForms() {
        assertThat(CharacterErrorRate.edits("ﬁle  name\n\nhere", "file name here")).isZero();
        assertThat(CharacterErrorRate.length(" file\tname ")).isEqualTo(9);
    }

    @Test
    void shouldCountSubstitutionsInsertionsAndDeletions() {
        assertThat(CharacterErrorRate.edits("gzlp", "gzip")).isEqualTo(1);
        assertThat(CharacterErrorRate.edits("gzi", "gzip")).isEqualTo(1);
        assertThat(CharacterErrorRate.edits("gzipp", "gzip")).isEqualTo(1);
        assertThat(CharacterErrorRate.edits("", "gzip")).isEqualTo(4);
    }

    @Test
    void shouldReadTheChildrensCpuTimeFromTheShellsTimes() {
        assertThat(OcrBench.childCpuSeconds("0m0.010s 0m0.002s\n0m1.872s 0m0.064s\n")).isEqualTo(1.936, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(OcrBench.childCpuSeconds("0m0.000000s 0m0.000000s\n1m2.5s 0m0.5s")).isEqualTo(63.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
