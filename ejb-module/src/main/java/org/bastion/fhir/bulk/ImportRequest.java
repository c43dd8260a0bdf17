package org.bastion.fhir.bulk;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import was asked to read, decided at kick-off: its inputs in order, each a resource type
 * (or Bundle), the URL the client gave and the file it names — an upload of that client
 * ("upload:ID") or a file in the folder an admin configured ("file:PATH") — and whether each file
 * holds NDJSON (a resource a line) or one JSON resource (a Bundle).
 */
public record ImportRequest(boolean ndjson, List<Input> inputs) {

    public record Input(String type, String url, String location) {
    }

    public ImportRequest {
        inputs = List.copyOf(inputs);
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ndjson", ndjson);
        List<Object> list = new ArrayList<>();
        for (Input input : inputs) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", input.type());
            item.put("url", input.url());
            item.put("location", input.location());
            list.add(item);
        }
        root.put("inputs", list);
        return JSONObjectUtils.toJSONString(root);
    }

    @SuppressWarnings("unchecked")
    public static ImportRequest parse(String json) {
        try {
            Map<String, Object> root = JSONObjectUtils.parse(json);
            List<Input> inputs = new ArrayList<>();
            for (Object o : (List<Object>) root.get("inputs")) {
                Map<String, Object> item = (Map<String, Object>) o;
                inputs.add(new Input((String) item.get("type"), (String) item.get("url"), (String) item.get("location")));
            }
            return new ImportRequest((Boolean) root.get("ndjson"), inputs);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalStateException("A bulk import's parameters are not readable: " + e.getMessage(), e);
        }
    }
}
