namespace Memscope.Bench;

/// <summary>
/// Marks a benchmark that produces <see cref="Count"/> random values per call, so that <see cref="NsPerValueColumn"/>
/// can show its mean time per value (the unit of <c>memscope bench</c> and bench/compare-numpy.sh).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ValuesPerCallAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}
