package dev.facteur.processes.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

class ReadyBannerTest {

    @Test
    void namesCockpitTasklistAndTheApiAndTheGeneratedPassword() {
        String banner = ReadyBanner.text("http://localhost:8080", "admin", Optional.of("s3cret-generated"));

        assertThat(banner)
                .contains("http://localhost:8080/camunda/app/cockpit/")
                .contains("http://localhost:8080/camunda/app/tasklist/")
                .contains("http://localhost:8080/api/ideas")
                .contains("admin / s3cret-generated");
        assertThat(banner.lines().count()).isLessThanOrEqualTo(10);
    }

    @Test
    void aPasswordThePersonChoseIsNeverPrinted() {
        String banner = ReadyBanner.text("http://localhost:9000", "ops", Optional.empty());

        assertThat(banner)
                .contains("http://localhost:9000/camunda/app/cockpit/")
                .contains("Log in as ops")
                .contains("FACTEUR_ADMIN_PASSWORD")
                .doesNotContain(" / ");
    }

    @Test
    void laptopModeKeepsLibrariesStartUpChatterBelowWarnButFacteursOwnLines() throws IOException {
        PropertySource<?> laptop = new YamlPropertySourceLoader()
                .load("laptop", new ClassPathResource("application-laptop.yaml"))
                .get(0);

        assertThat(laptop.getProperty("logging.level.root")).isEqualTo("WARN");
        assertThat(laptop.getProperty("logging.level.dev.facteur")).isEqualTo("INFO");
        assertThat(laptop.getProperty("spring.main.banner-mode")).isEqualTo("off");
    }
}
