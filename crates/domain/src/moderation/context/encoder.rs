//! all-MiniLM-L6-v2 (a six-layer BERT, Apache-2.0; `models/minilm/`) over candle tensors: one
//! sentence in, its mean-pooled, L2-normalised 384-float embedding out. One sentence at a time
//! and unpadded, so no attention mask is needed. The weights are stored as f16 to halve the
//! binary; the word table stays f16 in memory (rows are widened when looked up) and the layers
//! are widened to f32 once.

use candle_core::{DType, Device, Module, Tensor};
use std::collections::HashMap;

/// Longest input read, in tokens (the tokenizer truncates; the training script does the same).
pub const MAX_TOKENS: usize = 128;
const HEADS: usize = 12;
const LAYER_NORM_EPS: f64 = 1e-12;

type Result<T> = std::result::Result<T, candle_core::Error>;

struct Linear {
    weight_t: Tensor,
    bias: Tensor,
}

impl Linear {
    fn load(weights: &mut HashMap<String, Tensor>, name: &str) -> Result<Linear> {
        Ok(Linear {
            weight_t: take(weights, &format!("{name}.weight"))?
                .t()?
                .contiguous()?,
            bias: take(weights, &format!("{name}.bias"))?,
        })
    }
}

impl Module for Linear {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        x.matmul(&self.weight_t)?.broadcast_add(&self.bias)
    }
}

struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
}

impl LayerNorm {
    fn load(weights: &mut HashMap<String, Tensor>, name: &str) -> Result<LayerNorm> {
        Ok(LayerNorm {
            weight: take(weights, &format!("{name}.weight"))?,
            bias: take(weights, &format!("{name}.bias"))?,
        })
    }
}

impl Module for LayerNorm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        candle_nn::ops::layer_norm(x, &self.weight, &self.bias, LAYER_NORM_EPS as f32)
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

impl Layer {
    fn load(weights: &mut HashMap<String, Tensor>, index: usize) -> Result<Layer> {
        let p = format!("encoder.layer.{index}");
        Ok(Layer {
            query: Linear::load(weights, &format!("{p}.attention.self.query"))?,
            key: Linear::load(weights, &format!("{p}.attention.self.key"))?,
            value: Linear::load(weights, &format!("{p}.attention.self.value"))?,
            attention_out: Linear::load(weights, &format!("{p}.attention.output.dense"))?,
            attention_norm: LayerNorm::load(weights, &format!("{p}.attention.output.LayerNorm"))?,
            intermediate: Linear::load(weights, &format!("{p}.intermediate.dense"))?,
            output: Linear::load(weights, &format!("{p}.output.dense"))?,
            output_norm: LayerNorm::load(weights, &format!("{p}.output.LayerNorm"))?,
        })
    }

    /// `x` is `[tokens, hidden]`.
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (tokens, hidden) = x.dims2()?;
        let head_size = hidden / HEADS;
        let split = |t: Tensor| {
            t.reshape((tokens, HEADS, head_size))?
                .transpose(0, 1)?
                .contiguous()
        };
        let q = split(self.query.forward(x)?)?;
        let k = split(self.key.forward(x)?)?;
        let v = split(self.value.forward(x)?)?;
        let scores = (q.matmul(&k.t()?)? / (head_size as f64).sqrt())?;
        let weights = candle_nn::ops::softmax_last_dim(&scores)?;
        let context = weights
            .matmul(&v)?
            .transpose(0, 1)?
            .reshape((tokens, hidden))?;
        let attended = self
            .attention_norm
            .forward(&(self.attention_out.forward(&context)? + x)?)?;
        let expanded = self.intermediate.forward(&attended)?.gelu_erf()?;
        self.output_norm
            .forward(&(self.output.forward(&expanded)? + attended)?)
    }
}

pub struct Encoder {
    /// `[vocabulary, hidden]` in f16: the largest table, widened row by row.
    words: Tensor,
    positions: Tensor,
    token_type: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
}

fn take(weights: &mut HashMap<String, Tensor>, name: &str) -> Result<Tensor> {
    let tensor = weights
        .remove(name)
        .ok_or_else(|| candle_core::Error::Msg(format!("the encoder has no tensor {name}")))?;
    tensor.to_dtype(DType::F32)
}

impl Encoder {
    /// Reads the safetensors file (f16 or f32 tensors, BERT names without a `bert.` prefix).
    pub fn load(safetensors: &[u8]) -> Result<Encoder> {
        let mut weights = candle_core::safetensors::load_buffer(safetensors, &Device::Cpu)?;
        let words = weights
            .remove("embeddings.word_embeddings.weight")
            .ok_or_else(|| candle_core::Error::Msg("the encoder has no word table".into()))?;
        let positions = take(&mut weights, "embeddings.position_embeddings.weight")?;
        let token_type = take(&mut weights, "embeddings.token_type_embeddings.weight")?.get(0)?;
        let embedding_norm = LayerNorm::load(&mut weights, "embeddings.LayerNorm")?;
        let layers = (0..)
            .map_while(|i| {
                let present =
                    weights.contains_key(&format!("encoder.layer.{i}.output.dense.weight"));
                present.then(|| Layer::load(&mut weights, i))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Encoder {
            words,
            positions,
            token_type,
            embedding_norm,
            layers,
        })
    }

    /// The sentence embedding of token ids (`[CLS] … [SEP]`, at most [`MAX_TOKENS`]).
    pub fn embed(&self, ids: &[u32]) -> Result<Vec<f32>> {
        let tokens = ids.len().min(MAX_TOKENS);
        if tokens == 0 {
            return Err(candle_core::Error::Msg("nothing to embed".into()));
        }
        let ids = Tensor::new(&ids[..tokens], &Device::Cpu)?;
        let words = self.words.index_select(&ids, 0)?.to_dtype(DType::F32)?;
        let positions = self.positions.narrow(0, 0, tokens)?;
        let embedded = words.add(&positions)?.broadcast_add(&self.token_type)?;
        let mut x = self.embedding_norm.forward(&embedded)?;
        for layer in &self.layers {
            x = layer.forward(&x)?;
        }
        let mean = x.mean(0)?;
        let norm = mean.sqr()?.sum_all()?.sqrt()?.maximum(1e-12)?;
        mean.broadcast_div(&norm)?.to_vec1::<f32>()
    }
}
