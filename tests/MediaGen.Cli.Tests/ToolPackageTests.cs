using System.Diagnostics;
using System.IO.Compression;

namespace MediaGen.Cli.Tests;

/// <summary>The packaged tool as a user gets it: <c>dotnet pack</c>, <c>dotnet tool install</c>, <c>mediagen</c>.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dir = Directory.CreateTempSubdirectory("mediagen-tool-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Pack_InstallIntoATempToolPathOffline_MediagenVersionRuns()
    {
        var project = Path.Combine(RepoRoot(), "src", "MediaGen.Cli", "MediaGen.Cli.csproj");
        var feed = Path.Combine(_dir, "feed");
        var tools = Path.Combine(_dir, "tools");

        // The CLI is already built (this test project references it): pack that build, no second compile.
        var pack = await DotnetAsync("pack", project, "-c", Configuration, "--no-build", "--no-restore", "-o", feed);
        Assert.True(pack.ExitCode == 0, pack.Output);
        var package = Assert.Single(Directory.GetFiles(feed, "MediaGen.Cli.*.nupkg"));
        using (var zip = ZipFile.OpenRead(package))
        {
            // A tool package carries its dependencies inside: nothing is fetched from a registry at install.
            using var nuspec = new StreamReader(zip.GetEntry("MediaGen.Cli.nuspec")!.Open());
            var text = await nuspec.ReadToEndAsync();
            Assert.Contains("<packageType name=\"DotnetTool\" />", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<dependency ", text, StringComparison.Ordinal);
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        }

        // Only the local feed as a source, and an empty package cache: the install cannot reach, or lean on, anything else.
        var config = Path.Combine(_dir, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var install = await DotnetAsync("tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", feed, "MediaGen.Cli");
        Assert.True(install.ExitCode == 0, install.Output);

        var version = await RunAsync(Path.Combine(tools, OperatingSystem.IsWindows() ? "mediagen.exe" : "mediagen"), "--version");
        var help = await RunAsync(Path.Combine(tools, OperatingSystem.IsWindows() ? "mediagen.exe" : "mediagen"), "--help");

        Assert.True(version.ExitCode == 0, version.Output);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Output.Trim());
        Assert.Contains("mediagen [command] [options]", help.Output, StringComparison.Ordinal);
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MediaGen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MediaGen.sln not found above " + AppContext.BaseDirectory);
    }

    private Task<(int ExitCode, string Output)> DotnetAsync(params string[] args) => RunAsync("dotnet", args);

    private async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NUGET_PACKAGES"] = Path.Combine(_dir, "packages");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["XDG_DATA_HOME"] = Path.Combine(_dir, "data");
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(StepTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
