using Memscope.Influence.Data;
using Memscope.Torch;
using static TorchSharp.torch;

namespace Memscope.Influence.Training;

/// <summary>
/// <c>knn1</c>: exact 1-nearest-neighbour in Euclidean distance over the model's subset — a classic memorizer
/// (every IN example is its own neighbour) and a fast baseline. Ties go to the lowest training index. The LiRA
/// statistic is the distance margin d(nearest other-class IN example) − d(nearest same-class IN example).
/// Distances use ‖q‖² + ‖x‖² − 2⟨q, x⟩ with one matrix product per chunk of queries.
/// </summary>
public sealed class NearestNeighbourLearner : IFzLearner
{
    private readonly LabeledDataset _train, _test;
    private readonly Tensor _xTrain, _xTest, _nTrain, _nTest, _yTrain, _yTest;

    public string Name => "knn1";

    public NearestNeighbourLearner(LabeledDataset train, LabeledDataset test)
    {
        TorchThreads.UseOnePerModel();   // loads LibTorch; one intra-op thread, so results do not depend on who else runs
        _train = train; _test = test;
        _xTrain = TensorMemory.Copy(train.Features, [train.Count, train.Dim]);
        _xTest = TensorMemory.Copy(test.Features, [test.Count, test.Dim]);
        _nTrain = _xTrain.pow(2).sum(1);
        _nTest = _xTest.pow(2).sum(1);
        _yTrain = tensor(train.Labels.Select(l => (long)l).ToArray(), [train.Count]);
        _yTest = tensor(test.Labels.Select(l => (long)l).ToArray(), [test.Count]);
    }

    public ModelResult Train(int model, bool[] mask)
    {
        TorchThreads.UseOnePerModel();   // the setting is per thread: this is the thread that computes
        using var scope = NewDisposeScope();
        var inIdx = tensor(Enumerable.Range(0, mask.Length).Where(i => mask[i]).Select(i => (long)i).ToArray());
        var ref_ = _xTrain.index_select(0, inIdx);
        var refNorm = _nTrain.index_select(0, inIdx);
        var refY = _yTrain.index_select(0, inIdx);
        var (trainCorrect, trainMargin) = Query(_xTrain, _nTrain, _yTrain, ref_, refNorm, refY);
        var (testCorrect, testMargin) = Query(_xTest, _nTest, _yTest, ref_, refNorm, refY);
        return new ModelResult { Model = model, TrainCorrect = trainCorrect, TrainMargin = trainMargin, TestCorrect = testCorrect, TestMargin = testMargin };
    }

    private static (bool[], float[]) Query(Tensor q, Tensor qNorm, Tensor qY, Tensor r, Tensor rNorm, Tensor rY)
    {
        int n = (int)q.shape[0];
        var correct = new bool[n];
        var margin = new float[n];
        const int Chunk = 1024;
        for (int start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            int len = Math.Min(Chunk, n - start);
            var qc = q.narrow(0, start, len);
            // ‖q‖² + ‖r‖² − 2·q·r, with long-lived Scalars (Memscope.Torch.Scalars): no temporaries for the GC to free early
            var d2 = qNorm.narrow(0, start, len).unsqueeze(1).add(rNorm.unsqueeze(0), Scalars.One).sub_(qc.matmul(r.t()).mul_(Scalars.Two));
            d2 = d2.clamp_min(Scalars.Zero);
            var nearest = d2.argmin(1);
            var predicted = rY.index_select(0, nearest);
            var yc = qY.narrow(0, start, len);
            var same = yc.unsqueeze(1).eq(rY.unsqueeze(0));
            var dSame = d2.masked_fill(same.logical_not(), Scalars.PositiveInfinity).min(1).values.sqrt();
            var dOther = d2.masked_fill(same, Scalars.PositiveInfinity).min(1).values.sqrt();
            var ok = predicted.eq(yc).data<bool>().ToArray();
            var m = dOther.sub(dSame).data<float>().ToArray();
            Array.Copy(ok, 0, correct, start, len);
            Array.Copy(m, 0, margin, start, len);
        }
        return (correct, margin);
    }

    public void Dispose()
    {
        foreach (var t in new[] { _xTrain, _xTest, _nTrain, _nTest, _yTrain, _yTest }) t.Dispose();
    }
}
