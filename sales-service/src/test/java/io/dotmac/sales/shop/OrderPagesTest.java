package io.dotmac.sales.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SHOP_PUBLIC_URL as an operator may write it: the order page's link, or a refusal at start. */
class OrderPagesTest {

    @Test
    void anAbsoluteHttpUrlIsTheShopsWithOrWithoutItsTrailingSlash() {
        assertEquals("https://shop.example.com", OrderPages.checked("https://shop.example.com/"));
        assertEquals("https://example.com/store", OrderPages.checked(" https://example.com/store// "));
        assertEquals("http://127.0.0.1:8082", OrderPages.checked("http://127.0.0.1:8082"));
    }

    @Test
    void anythingElseStopsTheServiceRatherThanSendRemindersNowhere() {
        for (String url : List.of("shop.example.com", "ftp://shop.example.com", "https://shop.example.com/?a=1",
                "https://shop.example.com/#/x", "https://user@shop.example.com", "javascript:alert(1)", "https://exa mple.com")) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> OrderPages.checked(url), url);
            assertTrue(refused.getMessage().contains("SHOP_PUBLIC_URL"), refused.getMessage());
        }
    }
}
