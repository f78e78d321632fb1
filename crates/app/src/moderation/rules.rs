//! The organisation's word and link rules, managed by admins, and the "test this text" box.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::moderation::{LinkPolicy, RuleAction, Verdict, parse_domain, parse_pattern};
use guildhall_domain::people::Role;
use guildhall_store::moderation::rules as store;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct WordRuleView {
    pub id: i64,
    pub pattern: String,
    pub action: String,
    pub replacement: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkRuleView {
    pub id: i64,
    pub domain: String,
    pub policy: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RulesView {
    pub words: Vec<WordRuleView>,
    pub links: Vec<LinkRuleView>,
}

impl App {
    pub async fn moderation_rules(&self, viewer: &Viewer) -> AppResult<RulesView> {
        viewer.require(Role::Admin)?;
        Ok(RulesView {
            words: store::word_rules(self.db())
                .await?
                .into_iter()
                .map(|r| WordRuleView {
                    id: r.id,
                    pattern: r.pattern,
                    action: r.action,
                    replacement: r.replacement,
                })
                .collect(),
            links: store::link_rules(self.db())
                .await?
                .into_iter()
                .map(|r| LinkRuleView {
                    id: r.id,
                    domain: r.domain,
                    policy: r.policy,
                })
                .collect(),
        })
    }

    pub async fn save_word_rule(
        &self,
        viewer: &Viewer,
        pattern: &str,
        action: &str,
        replacement: &str,
    ) -> AppResult<()> {
        viewer.require(Role::Admin)?;
        let mut errors = guildhall_domain::FieldErrors::new();
        let pattern = errors.check("pattern", parse_pattern(pattern));
        let action = errors.check(
            "action",
            RuleAction::parse(action).ok_or_else(|| "Choose what the rule does.".to_owned()),
        );
        let replacement = errors.check(
            "replacement",
            guildhall_domain::fields::optional_line(replacement, 80),
        );
        if action == Some(RuleAction::Replace) && replacement.as_deref().is_some_and(str::is_empty)
        {
            errors.add("replacement", "Say what replaces the words.");
        }
        let (Some(pattern), Some(action), Some(replacement)) = (pattern, action, replacement)
        else {
            return Err(AppError::Invalid(errors));
        };
        store::save_word_rule(
            self.db(),
            &pattern,
            action.as_str(),
            &replacement,
            viewer.id,
            clock::now(),
        )
        .await?;
        self.forget_content_check();
        Ok(())
    }

    pub async fn save_link_rule(
        &self,
        viewer: &Viewer,
        domain: &str,
        policy: &str,
    ) -> AppResult<()> {
        viewer.require(Role::Admin)?;
        let mut errors = guildhall_domain::FieldErrors::new();
        let domain = errors.check("domain", parse_domain(domain));
        let policy = errors.check(
            "policy",
            LinkPolicy::parse(policy).ok_or_else(|| "Choose allow or block.".to_owned()),
        );
        let (Some(domain), Some(policy)) = (domain, policy) else {
            return Err(AppError::Invalid(errors));
        };
        store::save_link_rule(self.db(), &domain, policy.as_str(), viewer.id, clock::now()).await?;
        self.forget_content_check();
        Ok(())
    }

    pub async fn delete_word_rule(&self, viewer: &Viewer, id: i64) -> AppResult<()> {
        viewer.require(Role::Admin)?;
        if !store::delete_word_rule(self.db(), id).await? {
            return Err(AppError::NotFound);
        }
        self.forget_content_check();
        Ok(())
    }

    pub async fn delete_link_rule(&self, viewer: &Viewer, id: i64) -> AppResult<()> {
        viewer.require(Role::Admin)?;
        if !store::delete_link_rule(self.db(), id).await? {
            return Err(AppError::NotFound);
        }
        self.forget_content_check();
        Ok(())
    }

    /// The verdict for a text without writing anything: the live nudge while typing, the admin's
    /// "test this text" box and `guildhall moderation check`.
    pub async fn check_text(&self, text: &str) -> AppResult<Verdict> {
        if text.chars().count() > guildhall_domain::threads::MAX_POST_CHARS {
            return Err(AppError::invalid("text", "The text is too long to check."));
        }
        Ok(self.content_check().await?.check(text))
    }
}
