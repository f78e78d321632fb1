//! `/api/v1`: JSON for programs, with an OpenAPI 3.1 document generated from the handlers.
//! Every operation also documents the shared error responses, added here in one place.

use crate::WebState;
use crate::error::ErrorBody;
use crate::people;
use axum::Json;
use axum::Router;
use axum::routing::get;
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as OpenApiDoc, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Guildhall API", description = "The JSON API of Guildhall, a social learning community. Authenticate with `Authorization: Bearer <personal access token>`; create tokens on your profile page.", license(name = "AGPL-3.0-or-later")),
    servers((url = "/api/v1")),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

const SHARED_ERRORS: &[(&str, &str)] = &[
    ("400", "The request could not be read."),
    ("401", "Sign-in or a valid API token is required."),
    (
        "403",
        "Not allowed: a role or the write scope is missing, or the CSRF token is wrong.",
    ),
    ("404", "There is no such item."),
    ("409", "The request conflicts with the current state."),
    ("413", "The body is too large."),
    ("415", "The body must be JSON."),
    ("422", "Some fields are not valid; see `fields`."),
    ("429", "Too many requests; see Retry-After."),
    ("500", "Something went wrong on our side."),
];

fn add_shared_errors(doc: &mut OpenApiDoc) {
    for item in doc.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            for (status, description) in SHARED_ERRORS {
                operation
                    .responses
                    .responses
                    .entry((*status).to_owned())
                    .or_insert_with(|| {
                        ResponseBuilder::new()
                            .description(*description)
                            .content(
                                "application/json",
                                ContentBuilder::new()
                                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                                    .build(),
                            )
                            .build()
                            .into()
                    });
            }
        }
    }
}

fn api_router() -> (Router<WebState>, OpenApiDoc) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(people::api::routes())
        .merge(people::profile_api::routes())
        .merge(people::network_api::routes())
        .merge(people::email_api::routes())
        .merge(crate::coaching::api::routes())
        .merge(crate::coaching::requests_api::routes())
        .merge(crate::connectors::api::routes())
        .merge(crate::spaces::api::routes())
        .merge(crate::threads::api::routes())
        .merge(crate::search::api_routes())
        .merge(crate::notify::api_routes())
        .merge(crate::events::api::routes())
        .merge(crate::moderation::api::routes())
        .merge(crate::partners::api::routes())
        .merge(crate::insights::api::routes())
        .merge(crate::rewards::api::routes())
        .merge(crate::ideas::api::routes())
        .merge(crate::knowledge::api::routes())
        .merge(crate::nexus::api::routes())
        .split_for_parts();
    add_shared_errors(&mut doc);
    (router, doc)
}

/// The OpenAPI document, generated once.
pub fn openapi_document() -> &'static OpenApiDoc {
    static DOC: OnceLock<OpenApiDoc> = OnceLock::new();
    DOC.get_or_init(|| api_router().1)
}

pub fn routes() -> Router<WebState> {
    api_router()
        .0
        .route("/openapi.json", get(|| async { Json(openapi_document()) }))
}
