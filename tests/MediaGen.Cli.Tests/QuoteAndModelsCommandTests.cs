using System.Text.Json;

namespace MediaGen.Cli.Tests;

public class QuoteAndModelsCommandTests
{
    [Fact]
    public async Task Quote_WithCreditRate_RanksCheapestFirstAcrossUnits()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("quote", "--model", "nano-banana-2", "--usd-per-credit", "meigen=0.001", "--json");

        Assert.Equal(0, result.ExitCode);
        var quotes = result.Json.GetProperty("quotes").EnumerateArray().ToList();
        Assert.Contains(quotes, q => q.GetProperty("provider").GetString() == "meigen" && q.GetProperty("model").GetString() == "nanobanana-2" && q.GetProperty("unit").GetString() == "credits");
        var knownUsd = quotes.TakeWhile(q => q.GetProperty("usd").ValueKind == JsonValueKind.Number).Select(q => q.GetProperty("usd").GetDecimal()).ToList();
        Assert.Equal(knownUsd.Order(), knownUsd);
        Assert.All(quotes.SkipWhile(q => q.GetProperty("usd").ValueKind == JsonValueKind.Number), q => Assert.Equal(JsonValueKind.Null, q.GetProperty("usd").ValueKind));
        Assert.All(quotes, q => Assert.False(string.IsNullOrEmpty(q.GetProperty("basis").GetString())));
        Assert.All(quotes, q => Assert.Contains(q.GetProperty("translation").EnumerateArray(), e => e.GetProperty("certainty").GetString() == "documented"));
        Assert.Equal(JsonValueKind.Array, result.Json.GetProperty("unavailable").ValueKind);
    }

    [Fact]
    public async Task Quote_Json_ShowsTheThreeCertaintyLevelsOfEachVendorsTranslation()
    {
        var result = await new CliRunner().RunAsync("quote", "--model", "nano-banana-2", "--aspect-ratio", "16:9", "--seed", "7", "--json");

        var notes = result.Json.GetProperty("quotes").EnumerateArray().SelectMany(q => q.GetProperty("translation").EnumerateArray()).ToList();
        Assert.Contains(notes, e => e.GetProperty("certainty").GetString() == "documented");
        Assert.Contains(notes, e => e.GetProperty("certainty").GetString() == "undocumented" && e.GetProperty("wire").GetString() == "nanoBananaParams.aspect_ratio");
        Assert.Contains(notes, e => e.GetProperty("certainty").GetString() == "not-sent" && e.GetProperty("field").GetString() == "Seed");
    }

    [Fact]
    public async Task Quote_Table_MarksEachTranslationNote()
    {
        var result = await new CliRunner().RunAsync("quote", "--model", "nano-banana-2", "--aspect-ratio", "16:9", "--seed", "7");

        Assert.Contains("apiframe: ? AspectRatio = 16:9 on undocumented nanoBananaParams.aspect_ratio", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("meigen: ✗ Seed", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("meigen: ✓ Model", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_NoCreditRate_CreditsVendorsHaveUnknownUsd()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("quote", "--model", "nano-banana-2", "--json");

        var meigen = result.Json.GetProperty("quotes").EnumerateArray().Single(q => q.GetProperty("provider").GetString() == "meigen");
        Assert.Equal(JsonValueKind.Null, meigen.GetProperty("usd").ValueKind);
        Assert.Equal(JsonValueKind.Number, meigen.GetProperty("amount").ValueKind);
    }

    [Fact]
    public async Task Quote_EnvironmentRate_IsUsed()
    {
        var cli = new CliRunner();
        cli.Environment["MEIGEN_USD_PER_CREDIT"] = "0.01";

        var result = await cli.RunAsync("quote", "--model", "nano-banana-2", "--provider", "meigen", "--json");

        var meigen = Assert.Single(result.Json.GetProperty("quotes").EnumerateArray());
        Assert.Equal(meigen.GetProperty("amount").GetDecimal() * 0.01m, meigen.GetProperty("usd").GetDecimal());
    }

    [Fact]
    public async Task Quote_BadRate_Exit2NamingIt()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("quote", "--model", "nano-banana-2", "--usd-per-credit", "meigen=free", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--usd-per-credit", result.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_RequestInvalidAtOneVendor_ListsItUnavailableWithReason()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("quote", "--model", "nano-banana-2", "--aspect-ratio", "21:9", "--json");

        var unavailable = result.Json.GetProperty("unavailable").EnumerateArray().ToList();
        Assert.All(unavailable, u => Assert.False(string.IsNullOrEmpty(u.GetProperty("reason").GetString())));
    }

    [Fact]
    public async Task Models_Json_ListsCanonicalModelsWithEachVendorsSlug()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("models", "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json.GetProperty("models").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("model").GetString() == "nano-banana-2" && r.GetProperty("provider").GetString() == "meigen" && r.GetProperty("native").GetString() == "nanobanana-2");
        Assert.Contains(rows, r => r.GetProperty("model").GetString() == "nano-banana-2" && r.GetProperty("provider").GetString() == "veogen");
        Assert.Contains(rows, r => r.GetProperty("kind").GetString() == "video");
    }

    [Fact]
    public async Task Models_ProviderFilter_OnlyThatVendor()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("models", "--provider", "veogen", "--json");

        Assert.All(result.Json.GetProperty("models").EnumerateArray(), r => Assert.Equal("veogen", r.GetProperty("provider").GetString()));
    }

    [Theory]
    [InlineData(null, 80)]
    [InlineData("120", 120)]
    public async Task Models_Table_FitsTheWidthWithNumberedNotesAndNoCellOverThreeLines(string? columns, int width)
    {
        var cli = new CliRunner();
        cli.Environment["COLUMNS"] = columns;

        var table = await cli.RunAsync("models");
        var json = await cli.RunAsync("models", "--json");

        Assert.Equal(0, table.ExitCode);
        var lines = CliTableTests.Lines(table.Stdout);
        CliTableTests.AssertFits(lines, width);
        CliTableTests.AssertNotesNumbered(lines);
        var dalle = Assert.Single(lines, l => l.StartsWith("dall-e-2 ", StringComparison.Ordinal));
        var mark = System.Text.RegularExpressions.Regex.Match(dalle, "unknown([⁰¹²³⁴⁵⁶⁷⁸⁹]+)$");
        Assert.True(mark.Success, dalle);
        Assert.Contains(lines, l => l.StartsWith(mark.Groups[1].Value + " no Apiframe price for <native slug> is known", StringComparison.Ordinal));
        var rows = json.Json.GetProperty("models").GetArrayLength();
        var bodyLines = lines.Skip(2).TakeWhile(l => !"⁰¹²³⁴⁵⁶⁷⁸⁹".Contains(l[0], StringComparison.Ordinal)).Count();
        Assert.InRange(bodyLines, rows, rows * 3);
        Assert.DoesNotContain(lines, l => l.Contains("set MediaGen:Apiframe", StringComparison.Ordinal) && l.Contains("image ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quote_TableAt80Columns_ShortCellsWithTheBasisAndRateAsNumberedNotes()
    {
        var result = await new CliRunner().RunAsync("quote", "--model", "nano-banana-2", "--aspect-ratio", "16:9", "--seed", "7");

        var lines = CliTableTests.Lines(result.Stdout);
        CliTableTests.AssertFits(lines, 80);
        CliTableTests.AssertNotesNumbered(lines);
        Assert.Matches(@"^meigen +nanobanana-2 +5 credits. +unknown. +live$", Assert.Single(lines, l => l.StartsWith("meigen ", StringComparison.Ordinal)));
        Assert.Matches(@"^apiframe +nano-banana-2 +unknown. +— +unknown$", Assert.Single(lines, l => l.StartsWith("apiframe ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("flat 5 credits per generation", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--usd-per-credit meigen=<USD>", StringComparison.Ordinal));
    }
}
