//! Sign-in attempt limits, per email and per client address, so that guessing passwords is slow
//! for one account and for one attacker. Kept in memory: each instance limits its own traffic.

use crate::settings::AuthSettings;
use crate::{AppError, AppResult};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

pub struct LoginLimits {
    per_email: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<String>,
}

impl LoginLimits {
    pub fn new(settings: &AuthSettings) -> LoginLimits {
        let quota = |per_minute: u32| {
            Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN))
        };
        LoginLimits {
            per_email: RateLimiter::keyed(quota(settings.login_attempts_per_email_per_minute)),
            per_ip: RateLimiter::keyed(quota(settings.login_attempts_per_ip_per_minute)),
        }
    }

    /// Counts one attempt; refuses it when either limit is spent, saying how long to wait.
    pub fn attempt(&self, email: &str, ip: &str) -> AppResult<()> {
        for (limiter, key) in [(&self.per_email, email), (&self.per_ip, ip)] {
            if let Err(not_until) = limiter.check_key(&key.to_owned()) {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                return Err(AppError::RateLimited {
                    retry_after_secs: wait.as_secs().max(1),
                });
            }
        }
        Ok(())
    }

    /// Forgets keys whose limits have fully recovered, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.per_email.retain_recent();
        self.per_ip.retain_recent();
    }
}
