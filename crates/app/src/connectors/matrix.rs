//! The Matrix application service: a space mirrored into a room both ways.

use super::outbound::Outgoing;
use crate::App;
use crate::outbox::EffectResult;

pub(crate) async fn deliver(app: &App, out: &Outgoing) -> EffectResult {
    let _ = (app, out);
    Err("Matrix is not set up on this server".into())
}
