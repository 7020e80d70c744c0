package io.ringfence.rest.internal.resource;

import io.ringfence.manager.ListQuery;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.NotFoundException;
import io.ringfence.manager.Page;
import io.ringfence.model.Entity;
import io.ringfence.model.Kind;
import io.ringfence.rest.internal.Problems;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Link;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

/** The five operations every top-level collection offers, once for all kinds. */
final class EntityEndpoint<T extends Entity> {

    private final Kind<T> kind;
    private final ModelService models;
    private final ModelAdminService admin;

    EntityEndpoint(Kind<T> kind, ModelService models, ModelAdminService admin) {
        this.kind = kind;
        this.models = models;
        this.admin = admin;
    }

    Response list(UriInfo uri) {
        ListQuery query = Http.listQuery(uri);
        Page<T> page;
        try {
            page = models.list(kind, query);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(e.getMessage());
        }
        return paged(uri, page).build();
    }

    /** 200 with the page and RFC 8288 next/prev links. */
    static Response.ResponseBuilder paged(UriInfo uri, Page<?> page) {
        Response.ResponseBuilder b = Response.ok(page);
        if (page.offset() + page.limit() < page.total()) {
            b.links(Link.fromUriBuilder(uri.getRequestUriBuilder()
                    .replaceQueryParam("offset", page.offset() + page.limit())).rel("next").build());
        }
        if (page.offset() > 0) {
            b.links(Link.fromUriBuilder(uri.getRequestUriBuilder()
                    .replaceQueryParam("offset", Math.max(0, page.offset() - page.limit()))).rel("prev").build());
        }
        return b;
    }

    Response get(String id, Request request) {
        T e = models.find(kind, id).orElseThrow(() -> new NotFoundException(kind.name(), id));
        Response notModified = Http.notModified(request, e.revision());
        if (notModified != null) {
            return notModified;
        }
        return Response.ok(e).tag(Http.etag(e.revision())).build();
    }

    Response create(T body, UriInfo uri, SecurityContext security) {
        T created = admin.create(kind, Http.body(body), Http.principal(security));
        return Response.created(Http.location(uri, created.id())).tag(Http.etag(created.revision()))
                .entity(created).build();
    }

    Response replace(String id, T body, HttpHeaders headers, SecurityContext security) {
        Http.body(body);
        long current = models.find(kind, id).map(Entity::revision).orElse(-1L);
        T replaced = admin.replace(kind, id, body, Http.ifMatch(headers, current), Http.principal(security));
        return Response.ok(replaced).tag(Http.etag(replaced.revision())).build();
    }

    Response delete(String id, HttpHeaders headers, SecurityContext security) {
        long current = models.find(kind, id).map(Entity::revision).orElse(-1L);
        admin.delete(kind, id, Http.ifMatch(headers, current), Http.principal(security));
        return Response.noContent().build();
    }
}
