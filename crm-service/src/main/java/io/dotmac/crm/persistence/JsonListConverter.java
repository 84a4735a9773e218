package io.dotmac.crm.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dotmac.crm.lead.LeadProduct;
import io.dotmac.crm.quote.QuoteItem;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;

/**
 * A list kept in a {@code jsonb} column as a JSON array. Hibernate Reactive binds JSON values as
 * objects only, so the list travels as text: the attribute carries
 * {@code @ColumnTransformer(read = "CAST(col AS text)", write = "CAST(CAST(? AS text) AS jsonb)")}
 * (a parameter taken as jsonb directly would be stored as one JSON string, not parsed), and this
 * converter turns the text into the list and back. Decimals are exact both ways: a BigDecimal
 * property is read from the JSON number's own text.
 */
public abstract class JsonListConverter<T> implements AttributeConverter<List<T>, String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TypeReference<List<T>> type;

    protected JsonListConverter(TypeReference<List<T>> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(List<T> list) {
        try {
            return JSON.writeValueAsString(list == null ? List.of() : list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the list as JSON", e);
        }
    }

    @Override
    public List<T> convertToEntityAttribute(String text) {
        try {
            return text == null ? List.of() : List.copyOf(JSON.readValue(text, type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the column does not hold a JSON list of the expected shape", e);
        }
    }

    /** A lead's requested products. */
    @Converter
    public static class LeadProducts extends JsonListConverter<LeadProduct> {
        public LeadProducts() {
            super(new TypeReference<>() { });
        }
    }

    /** A quote's priced lines. */
    @Converter
    public static class QuoteItems extends JsonListConverter<QuoteItem> {
        public QuoteItems() {
            super(new TypeReference<>() { });
        }
    }

    /** Plain text entries (qualification reasons). */
    @Converter
    public static class Strings extends JsonListConverter<String> {
        public Strings() {
            super(new TypeReference<>() { });
        }
    }
}
