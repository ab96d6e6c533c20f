namespace MediaGen.Testing;

/// <summary>An 8-bit RGB colour.</summary>
internal readonly record struct SandboxColor(byte R, byte G, byte B);

/// <summary>An RGB raster, top row first, three bytes a pixel, that the sandbox cards are drawn on.</summary>
internal sealed class SandboxCanvas
{
    public SandboxCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    /// <summary>Fills a rectangle, clipped to the canvas.</summary>
    public void Fill(int x, int y, int width, int height, SandboxColor color)
    {
        int left = Math.Max(x, 0);
        int top = Math.Max(y, 0);
        int right = Math.Min(x + width, Width);
        int bottom = Math.Min(y + height, Height);
        if (left >= right || top >= bottom)
        {
            return;
        }

        Span<byte> run = stackalloc byte[3] { color.R, color.G, color.B };
        for (int row = top; row < bottom; row++)
        {
            Span<byte> line = Pixels.AsSpan(((row * Width) + left) * 3, (right - left) * 3);
            for (int i = 0; i < line.Length; i += 3)
            {
                run.CopyTo(line[i..]);
            }
        }
    }

    public SandboxColor this[int x, int y]
    {
        get
        {
            int p = ((y * Width) + x) * 3;
            return new(Pixels[p], Pixels[p + 1], Pixels[p + 2]);
        }
    }
}
