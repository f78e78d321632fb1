//! The documents remote servers fetch: the Group actor of a federated space, the Person actor
//! of a member who wrote in one, threads and posts as objects, WebFinger and NodeInfo. Nothing
//! is served while federation is off, and only what an open, federated space shows.

use crate::{App, AppError, AppResult, clock};
use chrono::Duration;
use guildhall_domain::nexus::documents::{self as ap, GroupFacts, Instance, PostFacts, Usage};
use guildhall_store::nexus::{federation as store, remote};
use guildhall_store::threads as threads_store;
use serde_json::Value;

/// A document and whether caches may keep it.
pub struct Served {
    pub document: Value,
}

impl App {
    async fn instance_key(&self) -> AppResult<String> {
        if !self.federation_settings().await?.enabled {
            return Err(AppError::NotFound);
        }
        Ok(self.federation_key().await?.1)
    }

    /// A federated space as a `Group` actor.
    pub async fn group_actor(&self, slug: &str) -> AppResult<Served> {
        let public_key = self.instance_key().await?;
        let space = self.federated_space(slug).await?;
        let page_url = format!("{}/s/{}", self.public_base(), space.slug);
        let instance = Instance {
            base: self.public_base(),
            public_key_pem: &public_key,
        };
        Ok(Served {
            document: ap::group_actor(
                &instance,
                &GroupFacts {
                    slug: &space.slug,
                    name: &space.name,
                    description: &space.description,
                    page_url: &page_url,
                    created_at: space.created_at,
                },
            ),
        })
    }

    /// The space behind a Group actor: it exists, is open and is federated.
    pub(crate) async fn federated_space(
        &self,
        slug: &str,
    ) -> AppResult<guildhall_store::spaces::SpaceRow> {
        let space = guildhall_store::spaces::space_by_slug(self.db(), slug)
            .await?
            .filter(|space| space.visibility == "open")
            .ok_or(AppError::NotFound)?;
        if !store::is_space_federated(self.db(), space.id).await? {
            return Err(AppError::NotFound);
        }
        Ok(space)
    }

    /// The instance's own `Application` actor, whose key signs our fetches.
    pub async fn instance_actor(&self) -> AppResult<Served> {
        let public_key = self.instance_key().await?;
        let instance = Instance {
            base: self.public_base(),
            public_key_pem: &public_key,
        };
        Ok(Served {
            document: ap::instance_actor(&instance, &self.public_host()),
        })
    }

    /// A member as a `Person`: only those who wrote in a federated space are known outside.
    pub async fn person_actor(&self, user_id: i64) -> AppResult<Served> {
        let public_key = self.instance_key().await?;
        let person = guildhall_store::people::user_by_id(self.db(), user_id)
            .await?
            .filter(|person| person.status == "active")
            .ok_or(AppError::NotFound)?;
        if !store::wrote_in_federated_space(self.db(), user_id).await? {
            return Err(AppError::NotFound);
        }
        let instance = Instance {
            base: self.public_base(),
            public_key_pem: &public_key,
        };
        let profile = format!("{}/people/{user_id}", self.public_base());
        Ok(Served {
            document: ap::person_actor(&instance, user_id, &person.display_name, &profile),
        })
    }

    /// A thread (its opening post, as a `Page`) or a reply (a `Note`) of a federated space.
    pub async fn federated_object(
        &self,
        thread_id: Option<i64>,
        post_id: Option<i64>,
    ) -> AppResult<Served> {
        self.instance_key().await?;
        let post_id = match (thread_id, post_id) {
            (Some(thread_id), _) => threads_store::opening_post_id(self.db(), thread_id)
                .await?
                .ok_or(AppError::NotFound)?,
            (None, Some(post_id)) => post_id,
            (None, None) => return Err(AppError::NotFound),
        };
        let post = threads_store::post(self.db(), post_id)
            .await?
            .filter(|post| post.deleted_at.is_none() && post.hidden_at.is_none())
            .ok_or(AppError::NotFound)?;
        let thread = threads_store::thread(self.db(), post.thread_id)
            .await?
            .filter(|thread| thread.hidden_at.is_none())
            .ok_or(AppError::NotFound)?;
        let author_id = post.author_id.ok_or(AppError::NotFound)?;
        // A remote person's words are theirs to serve, not ours.
        if remote::by_user(self.db(), author_id).await?.is_some() {
            return Err(AppError::NotFound);
        }
        let space = self.federated_space(&thread.space_slug).await?;
        let opening = threads_store::opening_post_id(self.db(), thread.id).await? == Some(post.id);
        if thread_id.is_some() != opening {
            return Err(AppError::NotFound);
        }
        let instance = Instance {
            base: self.public_base(),
            public_key_pem: "",
        };
        let in_reply_to = (!opening).then(|| match post.reply_to_id {
            Some(target) => instance.post(target),
            None => instance.thread(thread.id),
        });
        let page_url = format!("{}/t/{}#post-{}", self.public_base(), thread.id, post.id);
        Ok(Served {
            document: ap::post_object(
                &instance,
                &PostFacts {
                    post_id: post.id,
                    thread_id: thread.id,
                    title: opening.then_some(thread.title.as_str()),
                    body_html: &post.body_html,
                    author_id,
                    group_slug: &space.slug,
                    in_reply_to,
                    page_url: &page_url,
                    published: post.created_at,
                    updated: post.edited_at,
                },
            ),
        })
    }

    /// WebFinger for `acct:slug@host`: the Group actor of a federated space.
    pub async fn webfinger(&self, resource: &str) -> AppResult<Served> {
        let account = resource
            .strip_prefix("acct:")
            .ok_or_else(|| AppError::BadRequest("resource must be acct:name@host".into()))?;
        let (name, host) = account
            .rsplit_once('@')
            .ok_or_else(|| AppError::BadRequest("resource must be acct:name@host".into()))?;
        if !host.eq_ignore_ascii_case(&self.public_host()) {
            return Err(AppError::NotFound);
        }
        self.instance_key().await?;
        let space = self.federated_space(name).await?;
        let instance = Instance {
            base: self.public_base(),
            public_key_pem: "",
        };
        Ok(Served {
            document: ap::webfinger(
                &format!("acct:{}@{}", space.slug, self.public_host()),
                &instance.group(&space.slug),
                &format!("{}/s/{}", self.public_base(), space.slug),
            ),
        })
    }

    /// NodeInfo 2.1; usage counts only when the organisation shares them.
    pub async fn nodeinfo(&self) -> AppResult<Served> {
        let settings = self.federation_settings().await?;
        let usage = if settings.share_usage {
            let now = clock::now();
            let (users, active_month, active_half_year, local_posts) = store::usage(
                self.db(),
                now - Duration::days(30),
                now - Duration::days(180),
            )
            .await?;
            Some(Usage {
                users,
                active_month,
                active_half_year,
                local_posts,
            })
        } else {
            None
        };
        Ok(Served {
            document: ap::nodeinfo(env!("CARGO_PKG_VERSION"), false, usage.as_ref()),
        })
    }

    /// The number of remote followers of a federated space (its followers collection).
    pub async fn group_followers(&self, slug: &str) -> AppResult<Served> {
        self.instance_key().await?;
        let space = self.federated_space(slug).await?;
        let id = format!("{}/ap/groups/{}/followers", self.public_base(), space.slug);
        let total = store::follower_count(self.db(), space.id).await?;
        Ok(Served {
            document: ap::collection(&id, total, None),
        })
    }
}
