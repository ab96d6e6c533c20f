namespace MediaGen.Cli.Tests;

public class CliAppTests
{
    [Fact]
    public async Task Help_Root_UsageNamesTheMediagenCommandWithinTheWidth()
    {
        var result = await new CliRunner().RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:\n  mediagen [command] [options]", result.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("MediaGen.Cli", result.Stdout, StringComparison.Ordinal);
        CliTableTests.AssertFits(CliTableTests.Lines(result.Stdout).Select(l => l.TrimEnd()), 80);
    }

    [Fact]
    public async Task Help_Generate_UsageNamesMediagenAndTiersThatExist()
    {
        var result = await new CliRunner().RunAsync("generate", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("mediagen generate <prompt> [options]", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("MediaGen.Cli", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("mini", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("fast or pro", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoArguments_PrintsTheHelp()
    {
        var result = await new CliRunner().RunAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("mediagen [command] [options]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MistypedCommand_Exit2WithOneMediagenLineNamingIt()
    {
        var result = await new CliRunner().RunAsync("statsu");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(CliTableTests.Lines(result.Stderr));
        Assert.StartsWith("mediagen: ", line, StringComparison.Ordinal);
        Assert.Contains("'statsu'", line, StringComparison.Ordinal);
        Assert.EndsWith("See: mediagen --help", line, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Run_MissingRequiredOptionWithJson_OneJsonUsageError()
    {
        var result = await new CliRunner().RunAsync("quote", "--json");

        Assert.Equal(2, result.ExitCode);
        var error = result.Json.GetProperty("error");
        Assert.Equal("usage", error.GetProperty("kind").GetString());
        Assert.Contains("--model", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("mediagen quote --help", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
