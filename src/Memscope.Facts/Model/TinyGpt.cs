using Memscope.Core.Random;
using Memscope.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Memscope.Facts.Model;

/// <summary>Size of the decoder: layers L, width d, heads, vocabulary and context length.</summary>
public sealed record GptConfig(int Layers, int Width, int Heads, int VocabSize, int Context)
{
    /// <summary>Parameters, counting the tied embedding once (GPT-2 convention).</summary>
    public long ParameterCount =>
        (long)VocabSize * Width + (long)Context * Width                       // token + position embeddings
        + Layers * (2L * 2 * Width                                             // two LayerNorms
                    + (3L * Width * Width + 3 * Width) + (Width * (long)Width + Width)   // attention qkv + output
                    + (4L * Width * Width + 4 * Width) + (4L * Width * Width + Width))   // MLP
        + 2L * Width;                                                          // final LayerNorm

    /// <summary>Bytes of fp32 parameters, gradients and the two AdamW moments.</summary>
    public long TrainingBytes => 16 * ParameterCount;
}

/// <summary>
/// A GPT-2-style decoder in one file, in the spirit of nanoGPT: learned token and position embeddings, L pre-LayerNorm
/// blocks of causal multi-head self-attention and a GELU MLP (4·d), a final LayerNorm, and an output head tied to the
/// token embedding. Weights are initialized from Memscope's keyed stream (seed, "facts/init", 0): N(0, 0.02²), with
/// the residual projections scaled by 1/√(2L) as in GPT-2, biases 0, LayerNorms 1/0.
/// </summary>
public sealed class TinyGpt : Module<Tensor, Tensor>
{
    private readonly GptConfig _c;
    private readonly Embedding wte;
    private readonly Parameter wpe;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm ln_f;

    public GptConfig Config => _c;

    public TinyGpt(GptConfig config, ulong seed) : base("tinygpt")
    {
        if (config.Width % config.Heads != 0) throw new ArgumentException($"width {config.Width} is not a multiple of heads {config.Heads}");
        _c = config;
        wte = Embedding(config.VocabSize, config.Width);
        wpe = new Parameter(zeros(config.Context, config.Width));
        blocks = new ModuleList<Block>(Enumerable.Range(0, config.Layers).Select(l => new Block($"h{l}", config)).ToArray());
        ln_f = LayerNorm(config.Width);
        RegisterComponents();
        Initialize(seed);
    }

    /// <summary>Logits [B, T, V] for token ids [B, T].</summary>
    public override Tensor forward(Tensor idx) => forward(idx, 0, idx.shape[1]);

    /// <summary>
    /// Logits [B, count, V] at positions from … from + count − 1 only, for token ids [B, T]: the output head (a
    /// V-wide product) runs only where a loss or a prediction is read, which for facts is the value positions.
    /// </summary>
    public Tensor forward(Tensor idx, long from, long count)
    {
        long t = idx.shape[1];
        var x = wte.forward(idx).add(wpe.narrow(0, 0, t), Scalars.One);   // no temporary Scalars (see Memscope.Torch.Scalars)
        foreach (var block in blocks) x = block.forward(x);
        return ln_f.forward(x.narrow(1, from, count)).matmul(wte.weight!.t());
    }

    private void Initialize(ulong seed)
    {
        var rng = new Rng(seed, "facts/init", 0);
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.Contains("ln")) { p.copy_(name.EndsWith("weight") ? ones_like(p) : zeros_like(p)); continue; }
            if (name.EndsWith("bias")) { p.zero_(); continue; }
            double sd = name.Contains("proj") ? 0.02 / Math.Sqrt(2 * _c.Layers) : 0.02;
            var values = new double[p.numel()];
            rng.FillNormal(values, 0, sd);
            p.copy_(tensor(values.Select(v => (float)v).ToArray(), p.shape));
        }
    }

    /// <summary>Pre-LN transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)).</summary>
    private sealed class Block : Module<Tensor, Tensor>
    {
        private readonly LayerNorm ln1, ln2;
        private readonly Linear c_attn, attn_proj, c_fc, mlp_proj;
        private readonly int _heads;

        public Block(string name, GptConfig c) : base(name)
        {
            _heads = c.Heads;
            ln1 = LayerNorm(c.Width);
            c_attn = Linear(c.Width, 3 * c.Width);
            attn_proj = Linear(c.Width, c.Width);
            ln2 = LayerNorm(c.Width);
            c_fc = Linear(c.Width, 4 * c.Width);
            mlp_proj = Linear(4 * c.Width, c.Width);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            long b = x.shape[0], t = x.shape[1], d = x.shape[2], hd = d / _heads;
            var qkv = c_attn.forward(ln1.forward(x)).split(d, 2);
            Tensor Heads(Tensor z) => z.view(b, t, _heads, hd).transpose(1, 2);
            var (q, k, v) = (Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]));
            // softmax(q·kᵀ/√hd + causal mask)·v, as one fused operator
            var y = functional.scaled_dot_product_attention(q, k, v, is_casual: true).transpose(1, 2).contiguous().view(b, t, d);
            x = x.add(attn_proj.forward(y), Scalars.One);
            return x.add(mlp_proj.forward(functional.gelu(c_fc.forward(ln2.forward(x)))), Scalars.One);
        }
    }
}
