package dev.facteur.processes.commands;

import java.util.Locale;

/**
 * Who gave an idea command, and through which channel. {@code id} is the channel's own name for the person: the
 * authenticated API user, the GitHub login, the Discord user id; {@link IdeaCommands} maps it to an approver.
 */
public record Actor(Channel channel, String id) {

    /** The channels a person steers ideas through; their lower-case names are the approvals' channel values. */
    public enum Channel {
        API,
        GITHUB,
        DISCORD;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The API's user as the authentication filter set it; null when the API was called without one. */
    public static Actor api(String user) {
        return new Actor(Channel.API, user);
    }

    public static Actor github(String login) {
        return new Actor(Channel.GITHUB, login);
    }

    public static Actor discord(String userId) {
        return new Actor(Channel.DISCORD, userId);
    }

    /** The actor the event log records for a pause, resume or cancel: {@code user:ada}, {@code api}, {@code github:ada}. */
    public String auditName() {
        return switch (channel) {
            case API -> id == null ? "api" : "user:" + id;
            case GITHUB, DISCORD -> channel.value() + ":" + id;
        };
    }
}
