namespace Memscope.Influence.Estimators;

/// <summary>
/// Rows <see cref="FirstTrain"/> … <see cref="FirstTrain"/> + <see cref="Rows"/> − 1 of the FZ influence matrix
/// infl(i, j) (FZ Algorithm 1), row-major, <see cref="TestCount"/> values per row. The values live in a buffer that
/// the estimator reuses for the next block: copy what must outlive the visit. A row whose training example has no
/// IN or no OUT model is all NaN.
/// </summary>
public readonly ref struct InfluenceBlock
{
    internal InfluenceBlock(int firstTrain, int rows, int testCount, ReadOnlySpan<double> values)
    {
        FirstTrain = firstTrain;
        Rows = rows;
        TestCount = testCount;
        Values = values;
    }

    /// <summary>Index of the block's first training example.</summary>
    public int FirstTrain { get; }

    /// <summary>Number of training examples (rows) in the block.</summary>
    public int Rows { get; }

    /// <summary>Number of test examples (columns).</summary>
    public int TestCount { get; }

    /// <summary>All Rows·TestCount values, row-major.</summary>
    public ReadOnlySpan<double> Values { get; }

    /// <summary>infl(FirstTrain + row, ·).</summary>
    public ReadOnlySpan<double> Row(int row) => Values.Slice(row * TestCount, TestCount);

    /// <summary>infl(FirstTrain + row, test).</summary>
    public double this[int row, int test] => Values[row * TestCount + test];
}

/// <summary>Receives one <see cref="InfluenceBlock"/>; blocks arrive in training-index order, on the calling thread.</summary>
public delegate void InfluenceBlockVisitor(InfluenceBlock block);
