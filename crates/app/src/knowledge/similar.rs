//! "Similar questions and resources": each question and resource thread gets a sentence
//! embedding, computed by the outbox worker (never on the request that posts it); a question
//! being written is compared by meaning, blended with shared words, against the most recent
//! embedded threads the viewer may read.

use crate::outbox::{Effect, EffectResult};
use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::knowledge::similar::{
    Candidate, MEANING_WEIGHT, MIN_SCORE, SHOWN, from_bytes, rank, to_bytes,
};
use guildhall_domain::moderation::ContextModel;
use guildhall_domain::moderation::model_input;
use guildhall_domain::threads::ThreadKind;
use guildhall_store::Tx;
use guildhall_store::knowledge::embeddings as store;
use guildhall_store::outbox;
use serde::{Deserialize, Serialize};
use serde_json::Value;

const EMBED: &str = "knowledge.embed";
/// Which encoder made a stored vector: a new model leaves old vectors unused, not misread.
const MODEL: &str = "minilm-context-v1";
/// Threads compared with a draft: the most recent ones (the draft's space first). Brute force
/// over 384-d vectors takes well under 10 ms at this size.
const CANDIDATES: i64 = 2_000;
/// A draft shorter than this says too little to compare.
const MIN_DRAFT_CHARS: usize = 8;

pub(crate) const EFFECTS: &[Effect] = &[Effect {
    kind: EMBED,
    run: |app, payload| Box::pin(embed_thread(app, payload)),
}];

#[derive(Debug, Serialize, Deserialize)]
struct EmbedPayload {
    thread_id: i64,
}

/// Asks the worker, in the caller's transaction, to embed a question or resource thread.
pub(crate) async fn enqueue_embedding(
    tx: &mut Tx,
    thread_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let payload = serde_json::to_value(EmbedPayload { thread_id }).unwrap_or(Value::Null);
    outbox::enqueue(tx, EMBED, &payload, now).await?;
    Ok(())
}

/// The embedding of a text, computed off the async threads; `None` when the model is missing
/// (suggestions then rank by words alone).
async fn embed(text: String) -> Option<Vec<f32>> {
    tokio::task::spawn_blocking(move || {
        let model = ContextModel::embedded().ok()?;
        model.embed(&model_input(&text)).ok()
    })
    .await
    .ok()
    .flatten()
}

fn text_of(title: &str, body: &str) -> String {
    format!("{title}. {body}")
}

async fn embed_thread(app: App, payload: Value) -> EffectResult {
    let request: EmbedPayload =
        serde_json::from_value(payload).map_err(|e| format!("malformed embed: {e}"))?;
    app.embed_thread(request.thread_id)
        .await
        .map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Serialize)]
pub struct SimilarThread {
    pub id: i64,
    pub kind: ThreadKind,
    pub title: String,
    pub excerpt: String,
    pub space_slug: String,
    pub space_name: String,
    /// 0 to 1: meaning and shared words, blended.
    pub score: f64,
}

impl App {
    async fn embed_thread(&self, thread_id: i64) -> AppResult<()> {
        let Some(thread) = guildhall_store::threads::thread(self.db(), thread_id).await? else {
            return Ok(()); // deleted meanwhile
        };
        let opening = guildhall_store::threads::posts(self.db(), thread_id, 0, 1).await?;
        let body = opening.first().map(|p| p.body.clone()).unwrap_or_default();
        let Some(vector) = embed(text_of(&thread.title, &body)).await else {
            return Ok(()); // no model: the words alone will do
        };
        let mut tx = self.db().begin().await?;
        store::put_in(&mut tx, thread_id, MODEL, &to_bytes(&vector), clock::now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Questions and resources the viewer may read that are most like `text` (a question being
    /// written), best first; those of the space `space` (a slug) are looked at first.
    pub async fn similar(
        &self,
        viewer: &Viewer,
        text: &str,
        space: Option<&str>,
    ) -> AppResult<Vec<SimilarThread>> {
        if text.contains('\0') || text.chars().count() > 20_000 {
            return Err(AppError::invalid(
                "text",
                "Write the question as plain text.",
            ));
        }
        let text = text.trim();
        if text.chars().count() < MIN_DRAFT_CHARS {
            return Ok(Vec::new());
        }
        let space_id = match space.filter(|s| !s.is_empty()) {
            Some(slug) => Some(self.space(viewer, slug).await?.id),
            None => None,
        };
        let rows = store::candidates(self.db(), viewer.id, space_id, MODEL, CANDIDATES).await?;
        let draft_vector = embed(text.to_owned()).await;
        let vectors: Vec<Vec<f32>> = rows.iter().map(|r| from_bytes(&r.vector)).collect();
        let texts: Vec<String> = rows.iter().map(|r| text_of(&r.title, &r.excerpt)).collect();
        let candidates: Vec<Candidate<'_>> = rows
            .iter()
            .zip(&vectors)
            .zip(&texts)
            .map(|((r, v), t)| Candidate {
                id: r.thread_id,
                text: t,
                vector: Some(v),
            })
            .collect();
        let ranked = rank(
            text,
            draft_vector.as_deref(),
            &candidates,
            MEANING_WEIGHT,
            MIN_SCORE,
            SHOWN,
        );
        Ok(ranked
            .into_iter()
            .filter_map(|(id, score)| {
                let r = rows.iter().find(|r| r.thread_id == id)?;
                Some(SimilarThread {
                    id,
                    kind: ThreadKind::parse(&r.kind).unwrap_or(ThreadKind::Question),
                    title: r.title.clone(),
                    excerpt: r.excerpt.clone(),
                    space_slug: r.space_slug.clone(),
                    space_name: r.space_name.clone(),
                    score,
                })
            })
            .collect())
    }
}
