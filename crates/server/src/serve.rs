//! Serving: the web face, the outbox worker and the metrics listener, stopped gracefully together
//! on SIGTERM or Ctrl-C.

use anyhow::{Context, Result};
use axum::Router;
use axum::routing::get;
use guildhall_app::App;
use guildhall_app::outbox::OutboxWorker;
use metrics_exporter_prometheus::PrometheusBuilder;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub async fn run(app: App) -> Result<()> {
    let settings = app.settings().clone();
    let (stop_tx, stop_rx) = watch::channel(false);
    let closing = app.clone();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down");
        // Live update streams end first, or open browser tabs would hold the shutdown.
        closing.close();
        let _ = stop_tx.send(true);
    });

    // The image and sentence models take a moment to load: load them now, not on the first
    // upload or post.
    let warm = app.clone();
    tokio::spawn(async move {
        let _ = warm.image_check().await;
        let sentence_model = tokio::task::spawn_blocking(|| {
            guildhall_domain::moderation::ContextModel::embedded().map(|_| ())
        });
        if let Ok(Err(why)) = sentence_model.await {
            tracing::error!(%why, "the sentence model did not load; the content check runs without it");
        }
    });

    // Several instances on one PostgreSQL hear each other's live events.
    app.start_live_relay()
        .await
        .context("cannot listen for the other instances' live events")?;

    if settings.metrics.enabled {
        serve_metrics(&settings.metrics.listen, stop_rx.clone()).await?;
    }

    let worker = settings.node.worker.then(|| {
        let worker = guildhall_nexus::register_effects(OutboxWorker::new(app.clone()));
        tokio::spawn(worker.run(stop_rx.clone()))
    });

    // Replies by email arrive like web requests: on web nodes.
    let inbound = if settings.node.web {
        guildhall_nexus::email::serve_inbound(app.clone(), stop_rx.clone())
            .await
            .with_context(|| {
                format!(
                    "cannot listen for email on {}",
                    settings.email.inbound_listen
                )
            })?
    } else {
        None
    };

    if settings.node.web {
        let listener = TcpListener::bind(&settings.server.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.server.listen))?;
        tracing::info!(address = %settings.server.listen, public_url = %settings.server.public_url, "Guildhall is serving");
        let router = guildhall_web::router(app.clone()).merge(guildhall_nexus::router(app.clone()));
        let mut stop = stop_rx.clone();
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        })
        .await
        .context("web server failed")?;
    } else {
        let mut stop = stop_rx.clone();
        let _ = stop.wait_for(|stopped| *stopped).await;
    }

    if let Some(worker) = worker {
        let _ = worker.await;
    }
    if let Some(inbound) = inbound {
        let _ = inbound.await;
    }
    app.db().close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn serve_metrics(address: &str, mut stop: watch::Receiver<bool>) -> Result<()> {
    let handle = PrometheusBuilder::new()
        .install_recorder()
        .context("installing the metrics recorder")?;
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen for metrics on {address}"))?;
    tracing::info!(%address, "metrics at /metrics");
    let router = Router::new().route("/metrics", get(move || std::future::ready(handle.render())));
    tokio::spawn(async move {
        let served = axum::serve(listener, router).with_graceful_shutdown(async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        });
        if let Err(error) = served.await {
            tracing::error!(%error, "metrics listener failed");
        }
    });
    Ok(())
}

async fn wait_for_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
