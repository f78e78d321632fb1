//! The small classifier over sentence embeddings, trained by `tools/moderation/minilm/train.py`
//! on our labelled corpus and licensed datasets (`models/minilm/head.json`): dense layers with
//! ReLU between them and a softmax over the categories at the end.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Head {
    pub classes: Vec<String>,
    layers: Vec<Dense>,
}

#[derive(Debug, Deserialize)]
struct Dense {
    /// One row of input weights per output unit.
    weight: Vec<Vec<f32>>,
    bias: Vec<f32>,
    activation: Activation,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Activation {
    Relu,
    Softmax,
}

impl Head {
    pub fn parse(json: &str) -> Result<Head, String> {
        let head: Head = serde_json::from_str(json).map_err(|e| format!("head.json: {e}"))?;
        let last = head.layers.last().ok_or("head.json has no layers")?;
        if last.bias.len() != head.classes.len() {
            return Err("head.json: the last layer does not give one score per class".into());
        }
        let shapes_fit = head.layers.iter().all(|l| l.weight.len() == l.bias.len())
            && head
                .layers
                .windows(2)
                .all(|w| w[0].bias.len() == w[1].weight.first().map_or(0, Vec::len));
        if !shapes_fit {
            return Err("head.json: layer shapes do not chain".into());
        }
        Ok(head)
    }

    /// Probabilities per class, in the order of [`Head::classes`].
    pub fn probabilities(&self, embedding: &[f32]) -> Vec<f32> {
        let mut x = embedding.to_vec();
        for layer in &self.layers {
            let mut out: Vec<f32> = layer
                .weight
                .iter()
                .zip(&layer.bias)
                .map(|(row, bias)| row.iter().zip(&x).map(|(w, v)| w * v).sum::<f32>() + bias)
                .collect();
            match layer.activation {
                Activation::Relu => out.iter_mut().for_each(|v| *v = v.max(0.0)),
                Activation::Softmax => {
                    let max = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    out.iter_mut().for_each(|v| *v = (*v - max).exp());
                    let sum: f32 = out.iter().sum();
                    out.iter_mut().for_each(|v| *v /= sum);
                }
            }
            x = out;
        }
        x
    }
}
