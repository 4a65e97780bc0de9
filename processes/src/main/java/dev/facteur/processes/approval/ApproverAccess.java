package dev.facteur.processes.approval;

import dev.facteur.processes.security.AdminSettings;
import dev.facteur.processes.security.ServiceAccounts;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * What members of {@code approvers} need to work the gates in Tasklist, and nothing more: a task
 * filter "Approvals" (tasks of their candidate group) they may read, and read access to the
 * lifecycle's definition (its name and forms). The gate tasks themselves they may read and work
 * through their candidate-group link (TASK_WORK, see {@code default-user-permission-name-for-task}).
 */
@Component
class ApproverAccess implements InitializingBean {

    static final String FILTER_NAME = "Approvals";

    private final FilterService filters;
    private final TaskService tasks;
    private final AuthorizationService authorizations;
    private final AdminSettings admin;

    ApproverAccess(
            FilterService filters,
            TaskService tasks,
            AuthorizationService authorizations,
            AdminSettings admin,
            ServiceAccounts accounts) {
        // ServiceAccounts creates the approvers group first
        this.filters = filters;
        this.tasks = tasks;
        this.authorizations = authorizations;
        this.admin = admin;
    }

    @Override
    public void afterPropertiesSet() {
        Filter filter = filters.createFilterQuery().filterName(FILTER_NAME).singleResult();
        if (filter == null) {
            filter = filters.newTaskFilter(FILTER_NAME);
            filter.setOwner(admin.user());
            filter.setQuery(tasks.createTaskQuery()
                    .taskCandidateGroup(ServiceAccounts.APPROVERS)
                    .includeAssignedTasks());
            filter.setProperties(Map.of(
                    "description",
                    "Approval gates waiting for a member of approvers",
                    "priority",
                    -10,
                    "refresh",
                    true));
            filters.saveFilter(filter);
        }
        grant(Resources.FILTER, filter.getId(), Permissions.READ);
        grant(Resources.PROCESS_DEFINITION, "idea-lifecycle", Permissions.READ);
    }

    private void grant(Resource resource, String resourceId, Permission permission) {
        if (authorizations
                        .createAuthorizationQuery()
                        .groupIdIn(ServiceAccounts.APPROVERS)
                        .resourceType(resource)
                        .resourceId(resourceId)
                        .count()
                == 0) {
            Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            grant.setGroupId(ServiceAccounts.APPROVERS);
            grant.setResource(resource);
            grant.setResourceId(resourceId);
            grant.addPermission(permission);
            authorizations.saveAuthorization(grant);
        }
    }
}
