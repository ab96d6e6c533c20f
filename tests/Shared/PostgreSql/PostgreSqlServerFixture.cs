namespace MediaGen.PostgreSqlTesting;

/// <summary>One throwaway server for every test class in the <see cref="PostgreSqlServerGroup"/>.</summary>
public sealed class PostgreSqlServerFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;

    /// <summary>Gets the server.</summary>
    public PostgreSqlServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    /// <inheritdoc/>
    public async Task InitializeAsync() => _server = await PostgreSqlServer.StartAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The test classes sharing one throwaway PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlServerGroup : ICollectionFixture<PostgreSqlServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "PostgreSQL server";
}
