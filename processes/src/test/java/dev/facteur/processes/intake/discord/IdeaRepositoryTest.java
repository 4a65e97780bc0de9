package dev.facteur.processes.intake.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdeaRepositoryTest {

    @Test
    void theCommandsOwnOptionWins() {
        assertThat(IdeaRepository.choose(" acme/api ", "acme/default", List.of("acme/only")))
                .contains("acme/api");
    }

    @Test
    void withoutAnOptionTheDiscordDefaultIsUsed() {
        assertThat(IdeaRepository.choose(null, "acme/default", List.of("acme/only")))
                .contains("acme/default");
        assertThat(IdeaRepository.choose("  ", "acme/default", List.of())).contains("acme/default");
    }

    @Test
    void withoutADefaultTheSingleGitHubRepositoryIsUsed() {
        assertThat(IdeaRepository.choose(null, null, List.of("acme/only"))).contains("acme/only");
        assertThat(IdeaRepository.choose(null, "", List.of("acme/only"))).contains("acme/only");
    }

    @Test
    void severalRepositoriesOrAnOwnerAloneAreAmbiguousAndChooseNothing() {
        assertThat(IdeaRepository.choose(null, null, List.of("acme/a", "acme/b")))
                .isEmpty();
        assertThat(IdeaRepository.choose(null, null, List.of("acme"))).isEmpty();
        assertThat(IdeaRepository.choose(null, null, List.of())).isEmpty();
    }

    @Test
    void theAnswerNamesTheMissingOptionAndTheSetting() {
        assertThat(IdeaRepository.MISSING).contains("`repository`").contains("facteur.discord.default-repository");
    }
}
