using System.Text;

namespace MediaGen.Testing.Internal;

/// <summary>
/// FNV-1a over UTF-8. Unlike <see cref="string.GetHashCode()"/>, the result is the same in every process, so
/// sandbox media and ids derived from a prompt are reproducible.
/// </summary>
internal static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Fnv1a64(string text)
    {
        ulong hash = OffsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= Prime;
        }

        return hash;
    }
}
