package io.dotmac.common.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * An enum in a request is named, never numbered: Jackson would otherwise read {@code "stage": 2} as
 * the enum's third constant, so a caller could ask for what it never wrote, and reordering the
 * constants would change what old requests meant. A number is a 400 like any unknown name.
 */
@Singleton
public class StrictEnums implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    }
}
