//! The search page and its JSON twin.

use crate::WebState;
use crate::auth::Member;
use crate::error::{ApiError, PageError};
use crate::forms::QueryParams;
use crate::page::{PageCtx, render};
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use guildhall_app::AppError;
use guildhall_app::search::{SearchInput, SearchResult};
use guildhall_app::spaces::DirectoryEntry;
use guildhall_domain::threads::ThreadKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find; the last one also matches as a prefix.
    #[serde(default)]
    q: String,
    /// Only in this space (its address).
    #[serde(default)]
    space: String,
    /// Only threads of this kind.
    #[serde(default)]
    kind: String,
    /// Only by this person.
    #[serde(default)]
    author_id: Option<i64>,
    /// Only written on or after this day (YYYY-MM-DD).
    #[serde(default)]
    since: String,
}

impl SearchParams {
    fn input(&self) -> SearchInput {
        SearchInput {
            q: self.q.clone(),
            space: self.space.clone(),
            kind: self.kind.clone(),
            author_id: self.author_id,
            since: self.since.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ctx: PageCtx,
    input: SearchInput,
    has_filters: bool,
    searched: bool,
    results: Vec<SearchResult>,
    spaces: Vec<DirectoryEntry>,
    kinds: &'static [ThreadKind],
    alert: String,
}

pub fn routes() -> Router<WebState> {
    Router::new().route("/search", get(page))
}

async fn page(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(params): QueryParams<SearchParams>,
) -> Result<Response, PageError> {
    let input = params.input();
    let spaces = state.app.my_spaces(&viewer).await?;
    let (results, alert, status) = match state.app.search(&viewer, &input).await {
        Ok(results) => (results, String::new(), StatusCode::OK),
        Err(AppError::Invalid(errors)) => {
            let message = errors
                .iter()
                .map(|(_, m)| m.to_owned())
                .collect::<Vec<_>>()
                .join(" ");
            (Vec::new(), message, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => return Err(error.into()),
    };
    let page = SearchPage {
        ctx,
        has_filters: !(input.space.is_empty() && input.kind.is_empty() && input.since.is_empty()),
        searched: !input.q.trim().is_empty(),
        input,
        results,
        spaces,
        kinds: ThreadKind::ALL,
        alert,
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct SearchResultDto {
    /// thread, resource (a library resource's thread), post, space or person.
    kind: String,
    title: String,
    /// Escaped HTML; matching words are in `<mark>`.
    snippet_html: String,
    url: Option<String>,
    space_name: Option<String>,
    author_name: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<SearchResult> for SearchResultDto {
    fn from(r: SearchResult) -> Self {
        SearchResultDto {
            kind: r.kind,
            title: r.title,
            snippet_html: r.snippet_html,
            url: r.url,
            space_name: r.space_name,
            author_name: r.author_name,
            created_at: r.created_at,
        }
    }
}

pub fn api_routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new().routes(routes!(search))
}

/// Ranked results with highlighted snippets, only from what the viewer may see (at most 30).
#[utoipa::path(get, path = "/search", tag = "search", params(SearchParams), responses((status = 200, body = Vec<SearchResultDto>)))]
async fn search(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<SearchParams>,
) -> Result<Json<Vec<SearchResultDto>>, ApiError> {
    Ok(Json(
        state
            .app
            .search(&viewer, &params.input())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}
