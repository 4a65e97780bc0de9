package dev.facteur.model.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.camunda.bpm.engine.delegate.VariableScope;
import org.junit.jupiter.api.Test;

class VarTextTest {

    @Test
    void anAbsentVariableReadsAsTheTextNullAndASetOneAsItsValue() {
        VariableScope scope = mock(VariableScope.class);
        when(scope.getVariable("integrationFeedback")).thenReturn(null);
        when(scope.getVariable("reviewAttempt")).thenReturn(3L);

        assertThat(ProcessVariables.INTEGRATION_FEEDBACK.text(scope)).isEqualTo("null");
        assertThat(ProcessVariables.REVIEW_ATTEMPT.text(scope)).isEqualTo("3");
    }
}
