package dev.facteur.processes.workers;

import dev.facteur.workers.runtime.TransactionalTaskService;
import java.util.Map;
import org.camunda.bpm.client.exception.BadRequestException;
import org.camunda.bpm.client.exception.EngineException;
import org.camunda.bpm.client.exception.NotFoundException;
import org.camunda.bpm.client.exception.RestException;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;

/**
 * The external-task client's service for the in-process workers, done through the engine's Java API as the worker
 * that locked the task. The engine's refusals reach the workers as the client reports them for the same REST call:
 * a task that no longer exists as {@link NotFoundException} (404), one locked by another worker or otherwise refused
 * as {@link BadRequestException} (400), anything else as {@link EngineException} (500) with the engine exception's
 * type and code. The engine exception stays the cause, so a database outage is still seen as one. Its calls join the
 * caller's transaction ({@link TransactionalTaskService}).
 */
final class EngineTaskService implements ExternalTaskService, TransactionalTaskService {

    private final org.camunda.bpm.engine.ExternalTaskService engine;
    private final RuntimeService runtime;
    private final String workerId;

    EngineTaskService(org.camunda.bpm.engine.ExternalTaskService engine, RuntimeService runtime, String workerId) {
        this.engine = engine;
        this.runtime = runtime;
        this.workerId = workerId;
    }

    @Override
    public void lock(String externalTaskId, long lockDuration) {
        call(() -> engine.lock(externalTaskId, workerId, lockDuration));
    }

    @Override
    public void lock(ExternalTask task, long lockDuration) {
        lock(task.getId(), lockDuration);
    }

    @Override
    public void unlock(ExternalTask task) {
        call(() -> engine.unlock(task.getId()));
    }

    @Override
    public void complete(ExternalTask task) {
        complete(task.getId(), null, null);
    }

    @Override
    public void setVariables(String processInstanceId, Map<String, Object> variables) {
        call(() -> runtime.setVariables(processInstanceId, variables));
    }

    @Override
    public void setVariables(ExternalTask task, Map<String, Object> variables) {
        setVariables(task.getProcessInstanceId(), variables);
    }

    @Override
    public void complete(ExternalTask task, Map<String, Object> variables) {
        complete(task.getId(), variables, null);
    }

    @Override
    public void complete(ExternalTask task, Map<String, Object> variables, Map<String, Object> localVariables) {
        complete(task.getId(), variables, localVariables);
    }

    @Override
    public void complete(String externalTaskId, Map<String, Object> variables, Map<String, Object> localVariables) {
        call(() -> engine.complete(externalTaskId, workerId, variables, localVariables));
    }

    @Override
    public void handleFailure(
            ExternalTask task, String errorMessage, String errorDetails, int retries, long retryTimeout) {
        handleFailure(task.getId(), errorMessage, errorDetails, retries, retryTimeout);
    }

    @Override
    public void handleFailure(
            String externalTaskId, String errorMessage, String errorDetails, int retries, long retryTimeout) {
        handleFailure(externalTaskId, errorMessage, errorDetails, retries, retryTimeout, null, null);
    }

    @Override
    public void handleFailure(
            String externalTaskId,
            String errorMessage,
            String errorDetails,
            int retries,
            long retryDuration,
            Map<String, Object> variables,
            Map<String, Object> localVariables) {
        call(() -> engine.handleFailure(
                externalTaskId,
                workerId,
                errorMessage,
                errorDetails,
                retries,
                retryDuration,
                variables,
                localVariables));
    }

    @Override
    public void handleBpmnError(ExternalTask task, String errorCode) {
        handleBpmnError(task.getId(), errorCode, null, null);
    }

    @Override
    public void handleBpmnError(ExternalTask task, String errorCode, String errorMessage) {
        handleBpmnError(task.getId(), errorCode, errorMessage, null);
    }

    @Override
    public void handleBpmnError(
            ExternalTask task, String errorCode, String errorMessage, Map<String, Object> variables) {
        handleBpmnError(task.getId(), errorCode, errorMessage, variables);
    }

    @Override
    public void handleBpmnError(
            String externalTaskId, String errorCode, String errorMessage, Map<String, Object> variables) {
        call(() -> engine.handleBpmnError(externalTaskId, workerId, errorCode, errorMessage, variables));
    }

    @Override
    public void extendLock(ExternalTask task, long newDuration) {
        extendLock(task.getId(), newDuration);
    }

    @Override
    public void extendLock(String externalTaskId, long newDuration) {
        call(() -> engine.extendLock(externalTaskId, workerId, newDuration));
    }

    private static void call(Runnable command) {
        try {
            command.run();
        } catch (org.camunda.bpm.engine.exception.NotFoundException e) {
            throw new NotFoundException(e.getMessage(), new EngineFailure(e, 404));
        } catch (BadUserRequestException e) {
            throw new BadRequestException(e.getMessage(), new EngineFailure(e, 400));
        } catch (RuntimeException e) {
            throw new EngineException(e.getMessage(), new EngineFailure(e, 500));
        }
    }

    /**
     * What the REST API would have answered, with the engine's exception as its cause (the client's own keeps a REST
     * exception there, which its getters read: these read their fields).
     */
    static final class EngineFailure extends RestException {

        private final Integer status;
        private final String failureType;
        private final Integer failureCode;

        EngineFailure(RuntimeException failure, int status) {
            super(failure.getMessage(), failure);
            this.status = status;
            this.failureType = failure.getClass().getSimpleName();
            this.failureCode = failure instanceof ProcessEngineException engine ? engine.getCode() : null;
        }

        @Override
        public Integer getHttpStatusCode() {
            return status;
        }

        @Override
        public String getType() {
            return failureType;
        }

        @Override
        public Integer getCode() {
            return failureCode;
        }
    }
}
