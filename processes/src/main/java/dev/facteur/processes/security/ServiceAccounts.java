package dev.facteur.processes.security;

import dev.facteur.workers.runtime.WorkerSettings;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Creates the accounts Facteur needs in Camunda's identity service at start-up, before any request
 * is served: the administrator (always a direct member of {@code camunda-admin}, which keeps the
 * first-run setup endpoint closed), the {@code approvers} group, and the workers' service account
 * with just the permissions external tasks need.
 */
@Component
public class ServiceAccounts implements InitializingBean {

    public static final String APPROVERS = AccessGroups.APPROVERS;

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final AdminSettings admin;
    private final WorkerSettings workers;
    private String adminPassword;
    private String workerPassword;
    private String generatedAdminPassword;
    private String workerToken;

    ServiceAccounts(
            IdentityService identity,
            AuthorizationService authorizations,
            AdminSettings admin,
            WorkerSettings workers) {
        this.identity = identity;
        this.authorizations = authorizations;
        this.admin = admin;
        this.workers = workers;
    }

    @Override
    public void afterPropertiesSet() {
        adminPassword = admin.password();
        boolean generated = false;
        if (adminPassword.isBlank()) {
            if (!admin.generatePassword()) {
                throw new IllegalStateException(
                        "facteur.admin.password is not set: set FACTEUR_ADMIN_PASSWORD (laptop mode generates one)");
            }
            adminPassword = randomSecret();
            generated = true;
        }
        workerPassword = workers.password().isBlank() ? randomSecret() : workers.password();
        workerToken = workers.token().isBlank() ? randomSecret() : workers.token();

        ensureGroup(Groups.CAMUNDA_ADMIN, "Camunda administrators", Groups.GROUP_TYPE_SYSTEM);
        ensureGroup(APPROVERS, "Approvers", Groups.GROUP_TYPE_WORKFLOW);
        ensureGroup(AccessGroups.SUBMITTERS, "Submitters", Groups.GROUP_TYPE_WORKFLOW);
        ensureGroup(AccessGroups.OPERATORS, "Operators", Groups.GROUP_TYPE_WORKFLOW);
        ensureGroup(AccessGroups.INTAKE, "Intake services", Groups.GROUP_TYPE_WORKFLOW);
        ensureUser(admin.user(), adminPassword, "Facteur", "Administrator");
        ensureMembership(admin.user(), Groups.CAMUNDA_ADMIN);
        for (Resources resource : Resources.values()) {
            grantGroup(Groups.CAMUNDA_ADMIN, resource, "*", Permissions.ALL);
        }
        grantGroup(APPROVERS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);

        ensureUser(workers.user(), workerPassword, "Facteur", "Workers");
        grantUser(workers.user(), Resources.PROCESS_INSTANCE, Permissions.READ, Permissions.UPDATE);
        grantUser(
                workers.user(),
                Resources.PROCESS_DEFINITION,
                Permissions.READ,
                Permissions.READ_INSTANCE,
                Permissions.UPDATE_INSTANCE);

        generatedAdminPassword = generated ? adminPassword : null;
    }

    public String workerPassword() {
        return workerPassword;
    }

    /** The administrator's password when laptop mode made it up for this run (to be shown once), else empty. */
    public Optional<String> generatedAdminPassword() {
        return Optional.ofNullable(generatedAdminPassword);
    }

    /** The workers' token ({@code facteur.workers.token}, generated for in-process workers when not set). */
    public String workerToken() {
        return workerToken;
    }

    /** The workers' service account ({@code facteur.workers.user}). */
    public String workerUser() {
        return workers.user();
    }

    private void ensureGroup(String id, String name, String type) {
        if (identity.createGroupQuery().groupId(id).singleResult() == null) {
            Group group = identity.newGroup(id);
            group.setName(name);
            group.setType(type);
            identity.saveGroup(group);
        }
    }

    /** Creates the user, or resets its password so the configured (or printed) one is the one that works. */
    private void ensureUser(String id, String password, String firstName, String lastName) {
        User user = identity.createUserQuery().userId(id).singleResult();
        if (user == null) {
            user = identity.newUser(id);
            user.setFirstName(firstName);
            user.setLastName(lastName);
        }
        user.setPassword(password);
        identity.saveUser(user);
    }

    private void ensureMembership(String user, String group) {
        if (identity.createUserQuery().userId(user).memberOfGroup(group).count() == 0) {
            identity.createMembership(user, group);
        }
    }

    private void grantGroup(String group, Resource resource, String resourceId, Permission... permissions) {
        if (authorizations
                        .createAuthorizationQuery()
                        .groupIdIn(group)
                        .resourceType(resource)
                        .resourceId(resourceId)
                        .count()
                == 0) {
            Authorization grant = newGrant(resource, resourceId, permissions);
            grant.setGroupId(group);
            authorizations.saveAuthorization(grant);
        }
    }

    private void grantUser(String user, Resource resource, Permission... permissions) {
        if (authorizations
                        .createAuthorizationQuery()
                        .userIdIn(user)
                        .resourceType(resource)
                        .resourceId("*")
                        .count()
                == 0) {
            Authorization grant = newGrant(resource, "*", permissions);
            grant.setUserId(user);
            authorizations.saveAuthorization(grant);
        }
    }

    private Authorization newGrant(Resource resource, String resourceId, Permission... permissions) {
        Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        grant.setResource(resource);
        grant.setResourceId(resourceId);
        for (Permission permission : permissions) {
            grant.addPermission(permission);
        }
        return grant;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
