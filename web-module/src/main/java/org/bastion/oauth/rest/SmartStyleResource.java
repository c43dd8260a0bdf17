package org.bastion.oauth.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** SMART App Launch 2 §2.0.8: the styles a launched app may follow to look at home in Bastion (smart_style_url). */
@Path("smart-style.json")
public class SmartStyleResource {

    private static final String STYLE = """
            {"color_background":"#f5f7fb","color_error":"#b42318","color_highlight":"#2453d3","color_modal_backdrop":"rgba(16,24,40,0.6)",\
            "color_success":"#067647","color_text":"#101828","dim_border_radius":"10px","dim_font_size":"16px","dim_spacing_size":"16px",\
            "font_family_body":"system-ui, -apple-system, 'Segoe UI', 'Hiragino Sans', 'Noto Sans JP', sans-serif",\
            "font_family_heading":"system-ui, -apple-system, 'Segoe UI', 'Hiragino Sans', 'Noto Sans JP', sans-serif"}""";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response style() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(86400);
        return Response.ok(STYLE).cacheControl(cache).build();
    }
}
