package io.dotmac.notification.notification;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link NotificationStatus} as its lowercase name, the form the migration checks. */
@Converter(autoApply = true)
public class NotificationStatusConverter implements AttributeConverter<NotificationStatus, String> {

    @Override
    public String convertToDatabaseColumn(NotificationStatus status) {
        return status == null ? null : status.value();
    }

    @Override
    public NotificationStatus convertToEntityAttribute(String value) {
        return value == null ? null : NotificationStatus.of(value);
    }
}
