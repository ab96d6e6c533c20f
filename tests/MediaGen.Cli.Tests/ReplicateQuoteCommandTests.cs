using System.Text.Json;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.Testing.Emulators.Replicate;

namespace MediaGen.Cli.Tests;

/// <summary><c>mediagen quote</c> with <c>REPLICATE_API_TOKEN</c> set ranks Replicate beside the other vendors (emulators on loopback).</summary>
public sealed class ReplicateQuoteCommandTests
{
    [Fact]
    public async Task Quote_WithReplicateToken_RanksReplicatesModelWithItsUnknownPriceLast()
    {
        var meigen = new MeiGenEmulator();
        var replicate = new ReplicateEmulator();
        await using var rig = await VendorRig.StartAsync([meigen, replicate]);
        var cli = new CliRunner();
        cli.Environment["MEIGEN_API_KEY"] = MeiGenEmulator.DefaultApiKey;
        cli.Environment["MEIGEN_BASE_URL"] = rig.BaseAddressOf(meigen).ToString();
        cli.Environment["REPLICATE_API_TOKEN"] = ReplicateEmulator.DefaultApiKey;
        cli.Environment["REPLICATE_BASE_URL"] = rig.BaseAddressOf(replicate).ToString();

        var result = await cli.RunAsync("quote", "--model", "nano-banana-pro", "--usd-per-credit", "meigen=0.001", "--json");

        Assert.Equal(0, result.ExitCode);
        var quotes = result.Json.GetProperty("quotes").EnumerateArray().ToList();
        Assert.Equal(["meigen", "replicate"], quotes.Select(q => q.GetProperty("provider").GetString()));
        var r = quotes[1];
        Assert.Equal("google/nano-banana-pro", r.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("usd").ValueKind);
        Assert.Contains("1 hour after completion", r.GetProperty("basis").GetString(), StringComparison.Ordinal);
    }
}
