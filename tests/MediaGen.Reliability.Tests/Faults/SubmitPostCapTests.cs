using MediaGen.Http;
using MediaGen.Reliability.Tests.Support;

namespace MediaGen.Reliability.Tests.Faults;

/// <summary>
/// One logical submit makes at most <see cref="MediaGenHttpOptions.MaxSubmitAttempts"/> POSTs per vendor, however many
/// layers resend it (the shared pipeline's retries and a provider's own resend after an ambiguous answer), counted by
/// each vendor's emulator. Before the shared budget, a 429 spell cost MeiGen and VeoGen 4 POSTs per submit and Apiframe
/// up to 16 (its own 4 attempts, each retried 3 times by the pipeline).
/// </summary>
public sealed class SubmitPostCapTests
{
    private static readonly Dictionary<string, string> RetryAfterOne = new() { ["Retry-After"] = "1" };

    public static TheoryData<string, int?> VendorsAndCaps()
    {
        var data = new TheoryData<string, int?>();
        foreach (var vendor in Vendor.All)
        {
            data.Add(vendor.Name, null); // the default, 3
            data.Add(vendor.Name, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VendorsAndCaps))]
    public async Task SubmitAsync_429Spell_MakesNoMorePostsThanTheCapAndIsRateLimited(string vendorName, int? cap)
    {
        var vendor = Vendor.Get(vendorName);
        await using var rig = await vendor.StartRigAsync(Http(cap));
        rig.Host.Faults.On(HttpMethod.Post, vendor.SubmitPath).Always().RespondWith(429, """{"error":"Too many requests"}""", RetryAfterOne);

        var result = await rig.Time.DriveAsync(rig.Generator.SubmitAsync(vendor.NewRequest(1, "post-cap")));

        var error = Assert.IsType<RateLimitedError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Equal(cap ?? MediaGenHttpOptions.DefaultMaxSubmitAttempts, rig.Submits.Count);
        Assert.Equal(0, rig.Host.Ledger.ChargedJobCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public async Task MeiGenSubmitAsync_AmbiguousPostThenA429Spell_TheResendDrawsFromTheSameCapAndIsRateLimited(int? cap)
    {
        // The first POST gets a 500 (ambiguous at MeiGen, so the pipeline does not resend it); the key look-up finds no
        // request, so the provider resends once, into a 429 spell the pipeline rides out: every layer counts. The look-up
        // is MeiGen's proof the first POST was not accepted (issue 19), so the spell's 429 stands: rate limited.
        var vendor = Vendor.Get("meigen");
        await using var rig = await vendor.StartRigAsync(Http(cap));
        rig.Host.Faults.On(HttpMethod.Post, vendor.SubmitPath).Once().RespondWith(500, """{"error":"Internal Server Error"}""");
        rig.Host.Faults.On(HttpMethod.Post, vendor.SubmitPath).Always().RespondWith(429, """{"error":"Too many requests"}""", RetryAfterOne);
        var request = vendor.NewRequest(2, "post-cap");

        var result = await rig.Time.DriveAsync(rig.Generator.SubmitAsync(request));

        var error = Assert.IsType<RateLimitedError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Contains("request_not_found", error.NotAcceptedProof, StringComparison.Ordinal);
        Assert.Equal(0, rig.Host.Ledger.ChargedJobCount);
        Assert.Equal(cap ?? MediaGenHttpOptions.DefaultMaxSubmitAttempts, rig.Submits.Count);
        Assert.Single(rig.Host.Requests, r => r.Method == "GET" && r.Path.Contains("/requests/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public async Task ApiframeSubmitAsync_UnreadableAnswerThenA429Spell_TheResendDrawsFromTheSameCap(int? cap)
    {
        // A 2xx Apiframe cannot read is settled by resending the same key (provider level), into a 429 spell the pipeline
        // rides out: both layers draw from one budget.
        var vendor = Vendor.Get("apiframe");
        await using var rig = await vendor.StartRigAsync(Http(cap));
        rig.Host.Faults.On(HttpMethod.Post, vendor.SubmitPath).Once().RespondWithWrongContentType(200);
        rig.Host.Faults.On(HttpMethod.Post, vendor.SubmitPath).Always().RespondWith(429, """{"error":"Too many requests"}""", RetryAfterOne);
        var request = vendor.NewRequest(3, "post-cap");

        var result = await rig.Time.DriveAsync(rig.Generator.SubmitAsync(request));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error); // the unreadable 2xx may have been an accepted job
        Assert.Equal(request.IdempotencyKey, error.IdempotencyKey);
        Assert.Equal(cap ?? MediaGenHttpOptions.DefaultMaxSubmitAttempts, rig.Submits.Count);
        Assert.Single(rig.Submits.Select(s => s.Header("Idempotency-Key")).Distinct());
    }

    private static MediaGenHttpOptions Http(int? cap)
    {
        var http = Vendor.HttpOptions();
        if (cap is { } max)
        {
            http.MaxSubmitAttempts = max;
        }

        return http;
    }
}
