//! Before publishing: whether the person may write at all (code of conduct accepted, warnings
//! acknowledged, not muted), the flood and duplicate limits for new members, and the content
//! check of every field. Blocked attempts are kept as evidence; certain explicit ones open an HR
//! case.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::Duration;
use guildhall_domain::FieldErrors;
use guildhall_domain::moderation::{
    Action, Category, ContentCheck, LinkPolicy, LinkRule, OrgRules, Reason, RuleAction, Source,
    Thresholds, Verdict, WordRule,
};
use guildhall_store::moderation::{rules as store_rules, sanctions};
use std::sync::Arc;

/// How many earlier posts of a thread an HR case keeps as context.
const CONTEXT_POSTS: i64 = 5;

/// Where a text is written; stored with blocked attempts and HR evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Thread,
    /// A reply in a thread (whose last posts become context in an HR case).
    Post {
        thread_id: i64,
    },
    /// A post changed by its author: checked like a post, without the flood limits.
    Edit {
        thread_id: i64,
    },
    Profile,
    Space,
    Event,
    /// Between accountability partners (goals, check-ins, replies) or to a facilitator: private,
    /// and under the same rules.
    Partners,
    /// The reason given with an endorsement.
    Endorsement,
    /// Coaching: a coach's profile, a request, a decline or cancellation note, a rating.
    Coaching,
    /// Recognition: kudos, a badge's name and criteria, the reason a badge is awarded.
    Kudos,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Thread => "thread",
            Place::Post { .. } => "post",
            Place::Edit { .. } => "edit",
            Place::Profile => "profile",
            Place::Space => "space",
            Place::Event => "event",
            Place::Partners => "partners",
            Place::Endorsement => "endorsement",
            Place::Coaching => "coaching",
            Place::Kudos => "kudos",
        }
    }

    fn is_post(self) -> bool {
        matches!(self, Place::Thread | Place::Post { .. })
    }

    fn thread_id(self) -> Option<i64> {
        match self {
            Place::Post { thread_id } | Place::Edit { thread_id } => Some(thread_id),
            _ => None,
        }
    }

    /// Only posts can wait in the review queue; elsewhere the author rephrases.
    fn supports_review(self) -> bool {
        matches!(
            self,
            Place::Thread | Place::Post { .. } | Place::Edit { .. }
        )
    }
}

/// What may be published: the texts (with word-rule replacements) and, when the content waits
/// for a moderator, why.
#[derive(Debug, Clone)]
pub struct Screened {
    texts: Vec<String>,
    pub held: Option<Held>,
}

#[derive(Debug, Clone)]
pub struct Held {
    pub verdict: Verdict,
    /// `held` (a rule holds it) or `nudged` (the author sent it for review).
    pub source: &'static str,
}

impl Held {
    pub fn severity(&self) -> i64 {
        if self.verdict.has(Category::Explicit) || self.verdict.has(Category::Threat) {
            3
        } else if [Category::Rude, Category::Demeaning, Category::Profanity]
            .into_iter()
            .any(|category| self.verdict.has(category))
        {
            2
        } else {
            1
        }
    }

    /// The author sent a nudged text for review saying the check was wrong ("this was not
    /// rude"): the moderator sees a possible false positive. A held text stays held.
    pub fn disputed_if(self, not_rude: bool) -> Held {
        let source = if not_rude && self.source == "nudged" {
            "disputed"
        } else {
            self.source
        };
        Held { source, ..self }
    }
}

impl Screened {
    /// The text of field `index` as it will be published.
    pub fn text(&self, index: usize) -> &str {
        self.texts.get(index).map_or("", String::as_str)
    }
}

impl App {
    /// The check with the organisation's current rules.
    pub async fn content_check(&self) -> AppResult<Arc<ContentCheck>> {
        if let Some(check) = self.inner.checks.get() {
            return Ok(check);
        }
        let words = store_rules::word_rules(self.db())
            .await?
            .into_iter()
            .filter_map(|r| {
                Some(WordRule {
                    action: RuleAction::parse(&r.action)?,
                    pattern: r.pattern,
                    replacement: r.replacement,
                })
            })
            .collect();
        let links = store_rules::link_rules(self.db())
            .await?
            .into_iter()
            .filter_map(|r| {
                Some(LinkRule {
                    policy: LinkPolicy::parse(&r.policy)?,
                    domain: r.domain,
                })
            })
            .collect();
        let check = Arc::new(ContentCheck::new(
            OrgRules { words, links },
            Thresholds {
                insult: self.moderation_settings().insult_threshold,
            },
        ));
        self.inner.checks.put(check.clone());
        Ok(check)
    }

    pub(crate) fn forget_content_check(&self) {
        self.inner.checks.clear();
    }

    /// Refuses writing to people who have not accepted the code of conduct, have a warning to
    /// acknowledge, or are muted (everywhere or in this space).
    pub async fn may_write(&self, viewer: &Viewer, space_id: Option<i64>) -> AppResult<()> {
        let standing = sanctions::standing(self.db(), viewer.id, space_id, clock::now()).await?;
        // A remote person answers to their own server's rules and to our blocks, not to a
        // code of conduct they cannot accept here; the content check applies to them all the same.
        let accepts_conduct = viewer.credential != crate::people::Credential::Remote;
        if accepts_conduct
            && let Some(current) = standing.current_conduct
            && standing
                .accepted_conduct
                .is_none_or(|accepted| accepted < current)
        {
            return Err(AppError::forbidden(
                "conduct_not_accepted",
                "Please read and accept the code of conduct before you write.",
            ));
        }
        if standing.unacknowledged_warning.is_some() {
            return Err(AppError::forbidden(
                "warning_unacknowledged",
                "A moderator warned you. Please read and acknowledge the warning before you write.",
            ));
        }
        if let Some(until) = standing.muted_until {
            return Err(AppError::forbidden(
                "muted",
                format!(
                    "A moderator muted you until {} UTC.",
                    until.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        Ok(())
    }

    /// Screens the fields a person wrote (`(field name, text)`) before anything is written.
    /// A nudge comes back as [`AppError::Nudged`] unless the author chose to send it for review.
    pub async fn screen(
        &self,
        viewer: &Viewer,
        place: Place,
        space_id: Option<i64>,
        fields: &[(&str, &str)],
        send_for_review: bool,
    ) -> AppResult<Screened> {
        self.may_write(viewer, space_id).await?;
        if place.is_post() {
            let body = fields.last().map_or("", |(_, text)| *text);
            self.flood_limits(viewer, body).await?;
        }
        let verdicts: Vec<(&str, Verdict)> = fields
            .iter()
            .map(|(field, _)| *field)
            .zip(self.check_texts(fields).await?)
            .collect();
        let worst = verdicts
            .iter()
            .map(|(_, v)| v.action)
            .max()
            .unwrap_or(Action::Allow);
        let explain = |action: Action| {
            let mut errors = FieldErrors::new();
            for (field, verdict) in &verdicts {
                if verdict.action == action {
                    errors.add(field, verdict.message());
                }
            }
            errors
        };
        let combined = || {
            Verdict::from_reasons(
                verdicts
                    .iter()
                    .flat_map(|(_, v)| v.reasons.iter().cloned())
                    .collect(),
                None,
            )
        };
        let held = match worst {
            Action::Block => {
                self.keep_blocked_attempt(viewer, place, fields, &combined())
                    .await?;
                return Err(AppError::Invalid(explain(Action::Block)));
            }
            Action::Nudge | Action::Hold if !place.supports_review() => {
                let mut errors = FieldErrors::new();
                for (field, verdict) in verdicts.iter().filter(|(_, v)| v.action == worst) {
                    errors.add(field, verdict.rephrase_message());
                }
                return Err(AppError::Invalid(errors));
            }
            Action::Nudge if !send_for_review => return Err(AppError::Nudged(explain(worst))),
            Action::Nudge => Some(Held {
                verdict: combined(),
                source: "nudged",
            }),
            Action::Hold => Some(Held {
                verdict: combined(),
                source: "held",
            }),
            Action::Allow => None,
        };
        let texts = fields
            .iter()
            .zip(&verdicts)
            .map(|((_, text), (_, verdict))| {
                verdict
                    .replaced_text
                    .clone()
                    .unwrap_or_else(|| (*text).to_owned())
            })
            .collect();
        Ok(Screened { texts, held })
    }

    /// New members may not flood the community or repeat themselves.
    async fn flood_limits(&self, viewer: &Viewer, body: &str) -> AppResult<()> {
        // The operator importing content at the command line is not a new member flooding.
        if viewer.credential == crate::people::Credential::CommandLine {
            return Ok(());
        }
        let limits = self.moderation_settings();
        let Some(person) = guildhall_store::people::user_by_id(self.db(), viewer.id).await? else {
            return Err(AppError::Unauthenticated);
        };
        let now = clock::now();
        if person.created_at < now - Duration::days(limits.new_member_days) {
            return Ok(());
        }
        let (recent, _) =
            store_rules::recent_posts(self.db(), viewer.id, now - Duration::minutes(10), body)
                .await?;
        if recent >= limits.new_member_posts_per_10_minutes {
            return Err(AppError::RateLimited {
                retry_after_secs: 600,
            });
        }
        let (_, same) =
            store_rules::recent_posts(self.db(), viewer.id, now - Duration::hours(1), body).await?;
        if same > 0 {
            return Err(AppError::invalid(
                "body",
                "You posted this text already in the last hour.",
            ));
        }
        Ok(())
    }

    /// The image model, loaded once per process (it is the same for every organisation and takes
    /// a moment); a model that cannot load refuses images rather than letting them through.
    pub async fn image_check(&self) -> AppResult<super::ImageCheck> {
        static IMAGES: tokio::sync::OnceCell<Result<super::ImageCheck, String>> =
            tokio::sync::OnceCell::const_new();
        let loaded = IMAGES
            .get_or_init(|| async {
                tokio::task::spawn_blocking(super::ImageCheck::load)
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()))
            })
            .await;
        loaded.clone().map_err(|cause| {
            tracing::error!(%cause, "the image model did not load");
            AppError::Conflict {
                code: "image_check_unavailable",
                message: "Images cannot be checked right now, so they cannot be attached.".into(),
            }
        })
    }

    /// Checks an image before it is attached: explicit images are refused, kept as evidence
    /// (the file stays in the data folder under its SHA-256) and open an HR case.
    /// The content check of each field's text, off the async workers: the sentence model takes
    /// milliseconds per sentence, which would stall every other request on the same thread.
    async fn check_texts(&self, fields: &[(&str, &str)]) -> AppResult<Vec<Verdict>> {
        let check = self.content_check().await?;
        let texts: Vec<String> = fields.iter().map(|(_, text)| (*text).to_owned()).collect();
        tokio::task::spawn_blocking(move || texts.iter().map(|text| check.check(text)).collect())
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    pub async fn screen_image(
        &self,
        viewer: &Viewer,
        file_name: &str,
        bytes: &[u8],
    ) -> AppResult<()> {
        let check = self.image_check().await?;
        let owned = bytes.to_vec();
        let p_explicit = tokio::task::spawn_blocking(move || check.p_explicit(&owned))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|message| AppError::invalid("file", message))?;
        let threshold = self.moderation_settings().image_threshold;
        if f64::from(p_explicit) < threshold {
            return Ok(());
        }
        let sha256 = crate::threads::sha256_hex(bytes);
        self.inner
            .files
            .put(&sha256, bytes)
            .await
            .map_err(|e| AppError::Internal(format!("keeping evidence: {e}")))?;
        let verdict = Verdict::from_reasons(
            vec![Reason {
                category: Category::Explicit,
                action: Action::Block,
                matched: file_name.to_owned(),
                score: Some(f64::from(p_explicit)),
                source: Source::Image,
            }],
            None,
        );
        let verdict_json =
            serde_json::to_value(&verdict).map_err(|e| AppError::Internal(e.to_string()))?;
        let content = format!("image {file_name} (sha256 {sha256})");
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let attempt = store_rules::insert_blocked_attempt(
            &mut tx,
            &store_rules::BlockedAttempt {
                user_id: viewer.id,
                place: "image",
                content: &content,
                verdict: &verdict_json,
                at: now,
            },
        )
        .await?;
        let evidence = serde_json::json!({
            "blocked_attempt": attempt,
            "image": {
                "file_name": file_name, "sha256": sha256,
                "p_explicit": p_explicit, "threshold": threshold,
            },
            "at": now,
        });
        self.open_hr_case(&mut tx, viewer.id, "explicit_image", None, evidence)
            .await?;
        tx.commit().await?;
        Err(AppError::invalid(
            "file",
            "This image looks explicit, so it was not published. Explicit content is not allowed; HR is informed.",
        ))
    }

    /// The last posts of the thread someone was writing in, for an HR case's context.
    async fn thread_context(&self, thread_id: i64) -> AppResult<Vec<serde_json::Value>> {
        Ok(
            guildhall_store::threads::posts_before(self.db(), thread_id, i64::MAX, CONTEXT_POSTS)
                .await?
                .into_iter()
                .map(|p| {
                    serde_json::json!({
                        "id": p.id, "author": p.author_name, "text": p.body, "at": p.created_at,
                    })
                })
                .collect(),
        )
    }

    /// Keeps what was refused as evidence; explicit content found with certainty (the sentence
    /// model, an org rule, an image) also opens an HR case, a keyword alone never does.
    async fn keep_blocked_attempt(
        &self,
        viewer: &Viewer,
        place: Place,
        fields: &[(&str, &str)],
        verdict: &Verdict,
    ) -> AppResult<()> {
        let content = fields
            .iter()
            .map(|(field, text)| format!("{field}: {text}"))
            .collect::<Vec<_>>()
            .join("\n");
        let verdict_json =
            serde_json::to_value(verdict).map_err(|e| AppError::Internal(e.to_string()))?;
        let now = clock::now();
        let explicit = verdict.reasons.iter().any(Reason::opens_hr_case);
        let context = match place.thread_id() {
            Some(thread_id) if explicit => self.thread_context(thread_id).await?,
            _ => Vec::new(),
        };
        let mut tx = self.db().begin().await?;
        let attempt = store_rules::insert_blocked_attempt(
            &mut tx,
            &store_rules::BlockedAttempt {
                user_id: viewer.id,
                place: place.as_str(),
                content: &content,
                verdict: &verdict_json,
                at: now,
            },
        )
        .await?;
        if explicit {
            let content = serde_json::json!({
                "blocked_attempt": attempt,
                "place": place.as_str(),
                "versions": [{"text": content, "at": now}],
                "context": context,
                "verdict": verdict_json,
            });
            self.open_hr_case(&mut tx, viewer.id, "explicit_text", None, content)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
