using Memscope.Core;
using Memscope.Core.Random;
using Memscope.Theory.Audit;
using Memscope.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Memscope.Audit;

/// <summary>Training settings of the TorchSharp audit learners.</summary>
public sealed record TorchAuditSettings
{
    /// <summary>Hidden units of the mlp (one ReLU layer).</summary>
    public int Hidden { get; init; } = 16;
    /// <summary>Full-batch Adam steps.</summary>
    public int Steps { get; init; } = 200;
    public double? LearningRate { get; init; }
    public double WeightDecay { get; init; } = 1e-2;
    /// <summary>Fresh null samples from P_0 per training set: max(NullFactor·n, MinNulls).</summary>
    public int NullFactor { get; init; } = 2;
    public int MinNulls { get; init; } = 64;

    public void Validate()
    {
        UsageException.Require(Hidden >= 1, $"--hidden must be ≥ 1, got {Hidden}");
        UsageException.Require(Steps >= 1, $"--steps must be ≥ 1, got {Steps}");
        UsageException.Require(LearningRate is null || LearningRate > 0, $"--lr must be > 0, got {LearningRate}");
        UsageException.Require(WeightDecay >= 0, $"--weight-decay must be ≥ 0, got {WeightDecay}");
    }
}

/// <summary>
/// <c>logistic</c> (h(x) = 1{⟨w,x⟩ + b ≥ 0}) and <c>mlp</c> (one ReLU hidden layer) trained with full-batch Adam on a
/// balanced logistic loss: the n positives (label 1) against max(2n, 64) fresh null samples from P_0 (label 0), which
/// is legitimate because P_0 is known (FKL §2). L2 penalty on the weights. Initialization and null samples come from
/// the learner's keyed stream. The audit reads w (logistic) or, per input coordinate j, the first-layer column W1[:, j]
/// and the effective linear weight Σ_h v_h·W1[h, j] (mlp).
/// </summary>
public sealed class TorchAuditLearner : ILearner
{
    private readonly bool _mlp;
    private readonly TorchAuditSettings _s;

    public TorchAuditLearner(string name, TorchAuditSettings? settings = null)
    {
        UsageException.Require(name is "logistic" or "mlp", $"unknown torch learner '{name}'; use logistic or mlp");
        _mlp = name == "mlp";
        _s = settings ?? new TorchAuditSettings();
        _s.Validate();
        TorchThreads.UseOnePerModel();
    }

    public string Name => _mlp ? "mlp" : "logistic";

    /// <summary>Each training set builds its own tensors; LibTorch runs one intra-op thread per model (TorchThreads).</summary>
    public bool ParallelSafe => true;

    public static readonly string[] Names = ["logistic", "mlp"];

    public LearnerOutput Train(AuditTrainingSet data, Rng rng)
    {
        TorchThreads.UseOnePerModel();   // the setting is per thread: this is the thread that trains
        int d = data.D, n = data.N, m = Math.Max(_s.NullFactor * n, _s.MinNulls), h = _s.Hidden;
        var nulls = data.SampleNull(m, rng.Split("nulls", 0));
        using var scope = NewDisposeScope();
        var xPos = tensor(data.X.Select(v => (float)v).ToArray(), [n, d]);
        var xNull = tensor(nulls.Select(v => (float)v).ToArray(), [m, d]);
        var init = rng.Split("init", 0);
        var parameters = new List<TorchSharp.Modules.Parameter>();
        if (_mlp)
        {
            parameters.Add(new(tensor(Normal(init, h * d, 1 / Math.Sqrt(d)), [h, d])));
            parameters.Add(new(zeros(h)));
            parameters.Add(new(tensor(Normal(init, h, 1 / Math.Sqrt(h)), [1, h])));
            parameters.Add(new(zeros(1)));
        }
        else
        {
            parameters.Add(new(zeros(1, d)));
            parameters.Add(new(zeros(1)));
        }
        // Adam written out with tensor constants and one long-lived Scalar: temporary TorchSharp Scalars (x.mul(0.5f),
        // pow(2), the implicit alpha = 1 of add/sub) failed intermittently here ("Unknown scalar type", "INTERNAL ASSERT
        // FAILED at Scalar.h"), apparently freed while native code still used them.
        double lr = _s.LearningRate ?? (_mlp ? 0.01 : 0.05), beta1 = 0.9, beta2 = 0.999;
        Tensor Const(double v) => tensor((float)v);
        var half = Const(0.5); var wd = Const(_s.WeightDecay); var eps = Const(1e-8);
        var beta1T = Const(beta1); var beta1C = Const(1 - beta1); var beta2T = Const(beta2); var beta2C = Const(1 - beta2);
        var one = 1.0.ToScalar();
        var m1 = parameters.Select(t => zeros_like(t)).ToArray();
        var m2 = parameters.Select(t => zeros_like(t)).ToArray();
        for (int step = 1; step <= _s.Steps; step++)
        {
            using var inner = NewDisposeScope();
            var zPos = Forward(parameters, xPos);
            var zNull = Forward(parameters, xNull);
            // balanced logistic loss: ½·E_pos[softplus(−z)] + ½·E_null[softplus(z)] + wd·Σ‖W‖²
            var loss = Softplus(zPos.neg()).mean().add(Softplus(zNull).mean(), one).mul(half);
            for (int l = 0; l < parameters.Count; l += 2) loss = loss.add(parameters[l].mul(parameters[l]).sum().mul(wd), one);
            foreach (var t in parameters) t.grad?.zero_();
            loss.backward();
            var stepSize = Const(lr / (1 - Math.Pow(beta1, step)));
            var c2 = Const(1 - Math.Pow(beta2, step));
            using (no_grad())
            {
                for (int l = 0; l < parameters.Count; l++)
                {
                    var g = parameters[l].grad!;
                    m1[l].mul_(beta1T).add_(g.mul(beta1C), one);
                    m2[l].mul_(beta2T).add_(g.mul(g).mul(beta2C), one);
                    parameters[l].add_(m1[l].div(m2[l].div(c2).sqrt().add(eps, one)).mul(stepSize).neg(), one);
                }
            }
        }
        GC.KeepAlive(one);
        var p = parameters.Select(t => t.detach().cpu().data<float>().Select(v => (double)v).ToArray()).ToArray();
        if (!_mlp)
        {
            double[] w = p[0]; double b = p[1][0];
            return new LearnerOutput
            {
                Features = w,
                Classify = (x, count) => Enumerable.Range(0, count).Select(c => Dot(w, x.AsSpan(c * d, d)) + b >= 0).ToArray(),
            };
        }
        double[] w1 = p[0], b1 = p[1], v = p[2]; double b2 = p[3][0];
        var features = new double[d * (h + 1)];
        for (int j = 0; j < d; j++)
        {
            double eff = 0;
            for (int u = 0; u < h; u++) { features[j * (h + 1) + u] = w1[u * d + j]; eff += v[u] * w1[u * d + j]; }
            features[j * (h + 1) + h] = eff;
        }
        return new LearnerOutput
        {
            Features = features,
            FeaturesPerCoordinate = h + 1,
            Classify = (x, count) => Enumerable.Range(0, count).Select(c =>
            {
                var row = x.AsSpan(c * d, d);
                double z = b2;
                for (int u = 0; u < h; u++) z += v[u] * Math.Max(0, Dot(w1.AsSpan(u * d, d), row) + b1[u]);
                return z >= 0;
            }).ToArray(),
        };
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    /// <summary>softplus(z) = −log σ(−z), stable and free of scalar arguments.</summary>
    private static Tensor Softplus(Tensor z) => nn.functional.logsigmoid(z.neg()).neg();

    private Tensor Forward(List<TorchSharp.Modules.Parameter> p, Tensor x)
    {
        if (!_mlp) return nn.functional.linear(x, p[0], p[1]).squeeze(1);
        var hidden = nn.functional.relu(nn.functional.linear(x, p[0], p[1]));
        return nn.functional.linear(hidden, p[2], p[3]).squeeze(1);
    }

    private static float[] Normal(Rng rng, int count, double sd)
    {
        var a = new double[count];
        rng.FillNormal(a, 0, sd);
        return a.Select(v => (float)v).ToArray();
    }
}
