package io.dotmac.workflow.definition;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A cron schedule (Quartz syntax, UTC) that starts the workflow at each due time, with the context
 * built from {@code context}, whose templates may read {@code ${schedule.due_at}}.
 */
public record Schedule(String cron, Map<String, Object> context) {

    /** Quartz cron: seconds, minutes, hours, day of month, month, day of week, optional year. */
    public static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    public Schedule {
        Objects.requireNonNull(cron, "cron");
        context = context == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }
}
