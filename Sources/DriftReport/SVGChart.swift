import Foundation

/// Small inline-SVG charts for the HTML report: no script, no network, readable offline and in print.
enum SVGChart {
    struct Series {
        var name: String
        var color: String
        var values: [Double?]
        var dashed = false
    }

    static let width = 420.0
    static let height = 180.0
    static let margin = (left: 44.0, right: 10.0, top: 12.0, bottom: 34.0)

    /// Grouped bars (shares) over categories: reference against windows.
    static func bars(_ labels: [String], _ series: [Series], title: String) -> String {
        let maximum = max(series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0, 1e-9)
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        let group = plotWidth / Double(max(labels.count, 1))
        let bar = group * 0.8 / Double(max(series.count, 1))
        var out = open(title)
        out += axes(maximum: maximum, format: percent)
        for (s, line) in series.enumerated() {
            for (index, value) in line.values.enumerated() {
                guard let value else { continue }
                let h = plotHeight * value / maximum
                let x = margin.left + group * Double(index) + group * 0.1 + bar * Double(s)
                out += ##"<rect x="\##(f(x))" y="\##(f(margin.top + plotHeight - h))" width="\##(f(max(bar - 0.5, 0.5)))" height="\##(f(h))" fill="\##(line.color)" opacity="0.85"><title>\##(escape(line.name)) \##(escape(labels[index])): \##(percent(value))</title></rect>"##
            }
        }
        out += xLabels(labels, step: group)
        out += legend(series)
        return out + "</svg>"
    }

    /// Lines over an ordinal x axis (windows); `threshold` lines are drawn dashed in grey.
    static func lines(_ xLabels: [String], _ series: [Series], title: String, thresholds: [Double] = [], logScale: Bool = false,
                      fixedMaximum: Double? = nil, format: (Double) -> String = { String(format: "%.2f", $0) }) -> String {
        let transform: (Double) -> Double = logScale ? { -log10(max($0, 1e-12)) } : { $0 }
        let values = series.flatMap { $0.values.compactMap { $0 } }.map(transform) + thresholds.map(transform)
        let maximum = fixedMaximum ?? max(values.max() ?? 1, 1e-9) * 1.08
        let minimum = logScale ? 0 : min(0, values.min() ?? 0)
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        let step = plotWidth / Double(max(xLabels.count - 1, 1))
        func y(_ v: Double) -> Double { margin.top + plotHeight * (1 - (transform(v) - minimum) / max(maximum - minimum, 1e-12)) }
        var out = open(title)
        out += axes(maximum: maximum, minimum: minimum, format: logScale ? { "1e-" + String(format: "%.0f", $0) } : format)
        for threshold in thresholds {
            out += ##"<line x1="\##(f(margin.left))" x2="\##(f(width - margin.right))" y1="\##(f(y(threshold)))" y2="\##(f(y(threshold)))" stroke="#999" stroke-dasharray="4 3"/>"##
        }
        for line in series {
            var path = ""
            for (index, value) in line.values.enumerated() {
                guard let value, value.isFinite else { continue }
                path += (path.isEmpty ? "M" : "L") + "\(f(margin.left + step * Double(index))),\(f(y(value))) "
                out += ##"<circle cx="\##(f(margin.left + step * Double(index)))" cy="\##(f(y(value)))" r="2.2" fill="\##(line.color)"><title>\##(escape(line.name)) \##(escape(xLabels[index])): \##(format(value))</title></circle>"##
            }
            if !path.isEmpty {
                out += ##"<path d="\##(path)" fill="none" stroke="\##(line.color)" stroke-width="1.6"\##(line.dashed ? " stroke-dasharray=\"5 3\"" : "")/>"##
            }
        }
        let every = max(1, xLabels.count / 6)
        for (index, label) in xLabels.enumerated() where index % every == 0 {
            out += ##"<text x="\##(f(margin.left + step * Double(index)))" y="\##(f(height - margin.bottom + 14))" font-size="9" text-anchor="middle">\##(escape(label))</text>"##
        }
        out += legend(series)
        return out + "</svg>"
    }

    /// A curve on the unit square (ROC, precision-recall): x and y from 0 to 1, an optional diagonal (chance).
    static func unitCurve(_ curves: [(name: String, color: String, points: [(x: Double, y: Double)])], title: String,
                          xLabel: String, yLabel: String, diagonal: Bool) -> String {
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        func x(_ v: Double) -> Double { margin.left + plotWidth * v }
        func y(_ v: Double) -> Double { margin.top + plotHeight * (1 - v) }
        var out = open(title)
        out += axes(maximum: 1, format: { String(format: "%.1f", $0) })
        if diagonal {
            out += ##"<line x1="\##(f(x(0)))" y1="\##(f(y(0)))" x2="\##(f(x(1)))" y2="\##(f(y(1)))" stroke="#999" stroke-dasharray="4 3"/>"##
        }
        for tick in [0.0, 0.5, 1.0] {
            out += ##"<text x="\##(f(x(tick)))" y="\##(f(height - margin.bottom + 12))" font-size="9" text-anchor="middle">\##(String(format: "%.1f", tick))</text>"##
        }
        out += ##"<text x="\##(f(width - margin.right))" y="\##(f(height - margin.bottom + 22))" font-size="9" text-anchor="end">\##(escape(xLabel))</text>"##
        out += ##"<text x="\##(f(margin.left + 4))" y="\##(f(margin.top + 8))" font-size="9">\##(escape(yLabel))</text>"##
        for curve in curves where !curve.points.isEmpty {
            let path = curve.points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(f(x($0.element.x))),\(f(y($0.element.y)))" }.joined(separator: " ")
            out += ##"<path d="\##(path)" fill="none" stroke="\##(curve.color)" stroke-width="1.8"><title>\##(escape(curve.name))</title></path>"##
        }
        out += legend(curves.map { Series(name: $0.name, color: $0.color, values: []) })
        return out + "</svg>"
    }

    /// Box plots from quantiles (p05 whiskers, p25–p75 box, p50 line, p01/p99 marks), one per series.
    static func boxes(_ boxes: [(name: String, color: String, quantiles: [String: Double])], title: String) -> String {
        let all = boxes.flatMap { $0.quantiles.values }.filter(\.isFinite)
        guard let low = all.min(), let high = all.max() else { return "" }
        let span = max(high - low, 1e-9)
        let plotWidth = width - margin.left - margin.right
        let rowHeight = (height - margin.top - margin.bottom) / Double(max(boxes.count, 1))
        func x(_ v: Double) -> Double { margin.left + plotWidth * (v - low) / span }
        var out = open(title)
        for (index, box) in boxes.enumerated() {
            let q = box.quantiles
            guard let p05 = q["p05"], let p25 = q["p25"], let p50 = q["p50"], let p75 = q["p75"], let p95 = q["p95"] else { continue }
            let top = margin.top + rowHeight * Double(index) + rowHeight * 0.2
            let middle = top + rowHeight * 0.3
            out += ##"<text x="2" y="\##(f(middle + 3))" font-size="9">\##(escape(box.name))</text>"##
            out += ##"<line x1="\##(f(x(p05)))" x2="\##(f(x(p95)))" y1="\##(f(middle))" y2="\##(f(middle))" stroke="\##(box.color)"/>"##
            out += ##"<rect x="\##(f(x(p25)))" y="\##(f(top))" width="\##(f(max(x(p75) - x(p25), 1)))" height="\##(f(rowHeight * 0.6))" fill="\##(box.color)" opacity="0.35" stroke="\##(box.color)"><title>\##(escape(box.name)): p25 \##(short(p25)), p50 \##(short(p50)), p75 \##(short(p75))</title></rect>"##
            out += ##"<line x1="\##(f(x(p50)))" x2="\##(f(x(p50)))" y1="\##(f(top))" y2="\##(f(top + rowHeight * 0.6))" stroke="\##(box.color)" stroke-width="2"/>"##
            for key in ["p01", "p99"] {
                if let v = q[key], v.isFinite { out += ##"<circle cx="\##(f(x(v)))" cy="\##(f(middle))" r="1.8" fill="\##(box.color)"/>"## }
            }
        }
        out += ##"<text x="\##(f(margin.left))" y="\##(f(height - 8))" font-size="9">\##(short(low))</text><text x="\##(f(width - margin.right))" y="\##(f(height - 8))" font-size="9" text-anchor="end">\##(short(high))</text>"##
        return out + "</svg>"
    }

    /// A strip of coloured cells, one per window (severity over time).
    static func strip(_ cells: [(color: String, tip: String)], title: String) -> String {
        let cell = min(16, (width * 1.6 - 20) / Double(max(cells.count, 1)))
        let total = max(cell * Double(cells.count) + 20, 200)
        var out = ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(f(total))" height="34" role="img" aria-label="\##(escape(title))">"##
        for (index, item) in cells.enumerated() {
            out += ##"<rect x="\##(f(10 + cell * Double(index)))" y="4" width="\##(f(max(cell - 1, 1)))" height="18" fill="\##(item.color)"><title>\##(escape(item.tip))</title></rect>"##
        }
        return out + "</svg>"
    }

    private static func open(_ title: String) -> String {
        ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(f(width)) \##(f(height))" width="\##(f(width))" height="\##(f(height))" role="img" aria-label="\##(escape(title))"><text x="\##(f(margin.left))" y="9" font-size="10" font-weight="600">\##(escape(title))</text>"##
    }

    private static func axes(maximum: Double, minimum: Double = 0, format: (Double) -> String) -> String {
        let bottom = height - margin.bottom
        var out = ##"<line x1="\##(f(margin.left))" x2="\##(f(width - margin.right))" y1="\##(f(bottom))" y2="\##(f(bottom))" stroke="#444"/>"##
        out += ##"<line x1="\##(f(margin.left))" x2="\##(f(margin.left))" y1="\##(f(margin.top))" y2="\##(f(bottom))" stroke="#444"/>"##
        for tick in 0...2 {
            let value = minimum + (maximum - minimum) * Double(tick) / 2
            let y = bottom - (bottom - margin.top) * Double(tick) / 2
            out += ##"<text x="\##(f(margin.left - 4))" y="\##(f(y + 3))" font-size="9" text-anchor="end">\##(escape(format(value)))</text>"##
        }
        return out
    }

    private static func xLabels(_ labels: [String], step: Double) -> String {
        let every = max(1, labels.count / 8)
        var out = ""
        for (index, label) in labels.enumerated() where index % every == 0 {
            let x = margin.left + step * (Double(index) + 0.5)
            out += ##"<text x="\##(f(x))" y="\##(f(height - margin.bottom + 12))" font-size="8" text-anchor="middle">\##(escape(String(label.prefix(12))))</text>"##
        }
        return out
    }

    private static func legend(_ series: [Series]) -> String {
        var out = ""
        var x = margin.left
        for line in series {
            out += ##"<rect x="\##(f(x))" y="\##(f(height - 12))" width="10" height="8" fill="\##(line.color)"/><text x="\##(f(x + 13))" y="\##(f(height - 5))" font-size="9">\##(escape(line.name))</text>"##
            x += 20 + Double(line.name.count) * 5.2
        }
        return out
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value.isFinite ? value : 0) }
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    static func short(_ value: Double) -> String {
        abs(value) >= 1_000 || (abs(value) < 0.01 && value != 0) ? String(format: "%.3g", value) : String(format: "%.2f", value)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
