//! Guildhall's face to other systems: federation inboxes, inbound webhooks, and the outbox
//! handlers that deliver outward (federation, connectors, email, feeds). The foundation only
//! wires the worker; each connector registers its effect kinds here.

use guildhall_app::outbox::OutboxWorker;

/// Registers the effects this crate carries out. None yet: the audit effect lives in `app`.
pub fn register_effects(worker: OutboxWorker) -> OutboxWorker {
    tracing::debug!("no outward connectors configured");
    worker
}
