package org.bastion.platform.rest;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RequestTargetFilterTest {

    @Test
    void charactersClientsLeaveUnencodedArePercentEncoded() {
        assertEquals("identifier=urn:x%7C123", RequestTargetFilter.escape("identifier=urn:x|123", true));
        assertEquals("family=Raw%5B1%5D%7Bab%7D%5E%22", RequestTargetFilter.escape("family=Raw[1]{ab}^\"", true));
        assertEquals("name=M%C3%BCller%20%F0%9F%98%80", RequestTargetFilter.escape("name=Müller 😀", true));
        assertEquals("/fhir/r4/Patient/a%7Cb", RequestTargetFilter.escape("/fhir/r4/Patient/a|b", false));
    }

    @Test
    void utf8BytesTheServerReadAsLatin1AreEncodedAsTheBytesTheyWere() {
        String sent = new String("family=Müller&given=é".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("family=M%C3%BCller&given=%C3%A9", RequestTargetFilter.escape(sent, true));
        assertEquals("family=M%C3%BCller", RequestTargetFilter.escape("family=M\u00fcller", true),
                "a lone \u00fc is no UTF-8 sequence: the character itself, as UTF-8");
    }

    @Test
    void escapesTheClientSentStayAsTheyWere() {
        String sent = "_outputFormat=application%2Ffhir%2Bndjson&code=http://loinc.org%7C8867-4&a=b+c&x=%zz&y=%4";
        assertEquals("_outputFormat=application%2Ffhir%2Bndjson&code=http://loinc.org%7C8867-4&a=b+c&x=%25zz&y=%254",
                RequestTargetFilter.escape(sent, true));
        String plain = "_count=5&patient=Patient/1&date=ge2020-01-01T00:00:00+09:00&_elements=id,meta?";
        assertSame(plain, RequestTargetFilter.escape(plain, true), "nothing to encode: the same string");
        assertEquals("/a%3Fb", RequestTargetFilter.escape("/a?b", false), "a ? in a path is not the query's start");
        assertNull(RequestTargetFilter.escape(null, true));
    }

    @Test
    void whatComesOutIsAValidUri() {
        String typed = "identifier=urn:x|1&family=[a]{b}^\"c\\d`e<f>g#h%&name=é";
        URI uri = URI.create("http://localhost/fhir/r4/Patient?" + RequestTargetFilter.escape(typed, true));
        assertEquals(typed, uri.getQuery(), "decoded, the query is what was typed");
    }
}
