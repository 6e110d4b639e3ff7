namespace Memscope.Core.Random;

/// <summary>
/// Derives the 64-bit key of an independent random stream from (seed, purpose, index).
/// Every random draw in Memscope comes from a stream keyed this way, so results never depend on
/// thread count, scheduling, batch grouping or shard layout.
/// </summary>
public static class StreamKey
{
    /// <summary>Key for the stream (seed, purpose, index). Purpose is a short stable label such as "trial/gaussian/n=4".</summary>
    public static ulong Derive(ulong seed, string purpose, ulong index)
    {
        ulong h = SplitMix64.Mix(seed ^ 0x6A09E667F3BCC908UL);
        h = SplitMix64.Mix(h ^ Fnv1a64(purpose));
        h = SplitMix64.Mix(h ^ SplitMix64.Mix(index + 0x9E3779B97F4A7C15UL));
        return h;
    }

    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="s"/>: stable across runs and platforms.</summary>
    public static ulong Fnv1a64(string s)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char c in s)
        {
            h ^= c;
            h *= 0x100000001B3UL;
        }
        return h;
    }
}

/// <summary>SplitMix64 (Steele, Lea, Flood 2014): the finalizer used for key derivation and seeding.</summary>
public static class SplitMix64
{
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
