using Memscope.Core.IO;
using SkiaSharp;

namespace Memscope.Cli.Output;

/// <summary>A captioned grid of grayscale images (values in [0, 1], row-major H×W), rendered with SkiaSharp.</summary>
public static class ImageGallery
{
    public sealed record Tile(float[] Pixels, string Caption, SKColor? Frame = null);

    /// <summary>Writes a PNG with <paramref name="columns"/> tiles per row (a row of pairs: columns = 2·pairs).</summary>
    public static void Write(string path, string title, IReadOnlyList<Tile> tiles, int height, int width, int columns, int scale = 3)
    {
        const int captionH = 30, pad = 8, titleH = 34;
        int tileW = width * scale, tileH = height * scale;
        int rows = Math.Max(1, (tiles.Count + columns - 1) / columns);
        int cellW = Math.Max(tileW, 110) + pad, cellH = tileH + captionH + pad;
        using var surface = SKSurface.Create(new SKImageInfo(pad + columns * cellW, titleH + rows * cellH + pad));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 13);
        using var small = new SKFont(SKTypeface.Default, 11);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(title, pad, 22, font, ink);
        for (int t = 0; t < tiles.Count; t++)
        {
            int x0 = pad + (t % columns) * cellW, y0 = titleH + (t / columns) * cellH;
            using var bmp = new SKBitmap(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
            var px = tiles[t].Pixels;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    byte g = (byte)Math.Clamp((int)Math.Round(255 * (1 - px[y * width + x])), 0, 255); // dark ink on white
                    bmp.SetPixel(x, y, new SKColor(g, g, g));
                }
            using var img = SKImage.FromBitmap(bmp);
            canvas.DrawImage(img, new SKRect(x0, y0, x0 + tileW, y0 + tileH), new SKSamplingOptions(SKFilterMode.Nearest));
            if (tiles[t].Frame is SKColor frame)
            {
                using var fp = new SKPaint { Color = frame, Style = SKPaintStyle.Stroke, StrokeWidth = 3 };
                canvas.DrawRect(new SKRect(x0 - 2, y0 - 2, x0 + tileW + 2, y0 + tileH + 2), fp);
            }
            var lines = tiles[t].Caption.Split('\n');
            for (int l = 0; l < lines.Length && l < 2; l++) canvas.DrawText(lines[l], x0, y0 + tileH + 13 + 13 * l, small, ink);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, data.AsSpan());
    }
}
