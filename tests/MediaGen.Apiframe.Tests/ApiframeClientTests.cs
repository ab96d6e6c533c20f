using MediaGen.Apiframe.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.Apiframe.Tests;

public sealed class ApiframeClientTests
{
    [Fact]
    public async Task GetAccountAsync_Emulator_ReturnsCreditsAndMaxConcurrentJobs()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        host.Ledger.SetBalance("credits:apiframe", 4500);
        var client = Af.Create(host).GetService<ApiframeClient>()!;

        var account = (await client.GetAccountAsync()).GetValueOrThrow();

        Assert.Equal(Money.Credits(4500, "apiframe"), account.Credits);
        Assert.Equal(10, account.MaxConcurrentJobs);
        Assert.Equal("pro", account.Plan);
        Assert.Equal("ADMIN", account.Role);
    }

    [Fact]
    public async Task GetAccountAsync_DocsShape_Parsed()
    {
        var stub = new StubHttpHandler().Enqueue(System.Net.HttpStatusCode.OK,
            """{"user":{"id":"u1","email":"a@b.c","role":"MEMBER"},"team":{"id":"t1","name":"Team","plan":"business","credits":4500,"maxConcurrentJobs":10},"apiKey":{"id":"k1","name":"CI"}}""");

        var account = (await Af.Create(stub).GetService<ApiframeClient>()!.GetAccountAsync()).GetValueOrThrow();

        Assert.Equal("https://api.apiframe.test/v2/me", stub.Requests.Single().Uri.AbsoluteUri);
        Assert.Equal(10, account.MaxConcurrentJobs);
        Assert.Equal("CI", account.ApiKeyName);
    }

    [Fact]
    public async Task ListJobsAsync_CursorPaging_WalksEveryPageOnce()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var generator = Af.Create(host);
        var submitted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            submitted.Add((await generator.SubmitAsync(Af.Request("midjourney", $"job {i}"))).GetValueOrThrow().Handle.VendorJobId);
        }

        var client = generator.GetService<ApiframeClient>()!;
        var first = (await client.ListJobsAsync(new ApiframeJobQuery { Limit = 2 })).GetValueOrThrow();
        var all = new List<GenerationJob>();
        await foreach (var job in client.ListAllJobsAsync(new ApiframeJobQuery { Limit = 2 }))
        {
            all.Add(job);
        }

        Assert.Equal(2, first.Jobs.Count);
        Assert.True(first.HasMore);
        Assert.NotNull(first.NextCursor);
        Assert.Equal(submitted.AsEnumerable().Reverse(), all.Select(j => j.Handle.VendorJobId));
        Assert.Equal(3, host.Requests.Count(r => r.Path == "/v2/jobs" && r.Query.Contains("limit=2", StringComparison.Ordinal)) - 1);
        Assert.Contains(host.Requests, r => r.Query.Contains("cursor=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListJobsAsync_FiltersGoOnTheQueryString()
    {
        var stub = new StubHttpHandler().Enqueue(System.Net.HttpStatusCode.OK, """{"jobs":[],"nextCursor":null,"hasMore":false}""");

        var page = (await Af.Create(stub).GetService<ApiframeClient>()!.ListJobsAsync(new ApiframeJobQuery { Status = "COMPLETED", Model = "midjourney", Limit = 50, Scope = "team", Search = "a1b2" })).GetValueOrThrow();

        Assert.Equal("/v2/jobs?status=COMPLETED&model=midjourney&limit=50&scope=team&search=a1b2", stub.Requests.Single().Uri.PathAndQuery);
        Assert.Empty(page.Jobs);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task ListAllJobsAsync_RepeatingCursor_StopsInsteadOfLooping()
    {
        const string Page = """{"jobs":[{"id":"j1","status":"QUEUED","model":"midjourney","progress":0}],"nextCursor":"same","hasMore":true}""";
        var stub = new StubHttpHandler(_ => StubHttpHandler.Json(System.Net.HttpStatusCode.OK, Page));
        var count = 0;

        await foreach (var _ in Af.Create(stub).GetService<ApiframeClient>()!.ListAllJobsAsync())
        {
            count++;
        }

        Assert.Equal(2, count);
    }

    [Fact]
    public async Task ListJobsAsync_LimitOutOfRange_InvalidWithoutRequest()
    {
        var stub = new StubHttpHandler();

        Assert.IsType<InvalidRequestError>((await Af.Create(stub).GetService<ApiframeClient>()!.ListJobsAsync(new ApiframeJobQuery { Limit = 101 })).Error);
        Assert.Empty(stub.Requests);
    }
}
