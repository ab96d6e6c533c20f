namespace MediaGen.Benchmarks.Infrastructure;

/// <summary>The vendors measured.</summary>
public enum Vendor
{
    MeiGen,
    VeoGen,
    Apiframe,
}
