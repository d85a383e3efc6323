// The book's figures are legible where they are shown: every drawing the chapter programs
// write for the build (Graphviz, laid out by `dot -Tjson`) has no two texts overlapping,
// text of at least 12 CSS px at 1280 px in the site's 960 px column, and a white ground;
// every gnuplot script draws at a fixed size on white in fonts of at least 12.
#include <algorithm>
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace {

constexpr double column_px = 960.0;   // the text column of a page at 1280 px
constexpr double min_text_px = 12.0;  // the smallest text a reader should be shown
constexpr double px_per_pt = 4.0 / 3.0;
constexpr double tolerance = 0.5;     // pt: texts that only touch do not overlap

std::vector<std::string> split(const std::string& list)
{
    std::vector<std::string> out;
    std::istringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) {
            out.push_back(item);
        }
    }
    return out;
}

// One text as Graphviz places it, in points, y upwards.
struct Text {
    std::string owner;  // the graph, a cluster, a node or an edge
    std::string text;
    double size = 0.0;
    double x0 = 0.0, x1 = 0.0, y0 = 0.0, y1 = 0.0;
};

// Every text of a laid-out graph, from the xdot operations of its labels (`_ldraw_`,
// `_hldraw_`, `_tldraw_`, ...): "F" sets the font size, "t" the font's flags (8
// superscript, 16 subscript), "T" draws a text with its baseline at pt, aligned l/c/r.
// A text spans 0.22 of its size below the baseline and 0.75 above; a subscript is
// lowered by a quarter of the size, a superscript raised by 0.4.
std::vector<Text> texts_of(const nlohmann::json& graph)
{
    std::vector<std::pair<std::string, const nlohmann::json*>> owners{{"the graph", &graph}};
    if (graph.contains("objects")) {
        for (const nlohmann::json& o : graph.at("objects")) {
            owners.push_back({"node or cluster " + o.value("name", std::string("?")), &o});
        }
    }
    if (graph.contains("edges")) {
        for (const nlohmann::json& e : graph.at("edges")) {
            owners.push_back(
                {"edge " + std::to_string(e.value("tail", -1)) + " -> " + std::to_string(e.value("head", -1)), &e});
        }
    }
    std::vector<Text> texts;
    for (const auto& [owner, object] : owners) {
        for (const auto& [key, ops] : object->items()) {
            if (key.size() < 6 || key.compare(key.size() - 6, 6, "ldraw_") != 0) {
                continue;
            }
            double size = 14.0;
            int flags = 0;
            for (const nlohmann::json& op : ops) {
                const std::string kind = op.at("op");
                if (kind == "F") {
                    size = op.at("size");
                } else if (kind == "t") {
                    flags = op.at("fontchar");
                } else if (kind == "T") {
                    const double x = op.at("pt").at(0), y = op.at("pt").at(1), w = op.at("width");
                    const std::string align = op.at("align");
                    const double x0 = align == "l" ? x : align == "r" ? x - w : x - w / 2;
                    const double shift = (flags & 16) ? -0.25 * size : (flags & 8) ? 0.4 * size : 0.0;
                    texts.push_back({owner, op.at("text"), size, x0, x0 + w, y + shift - 0.22 * size,
                                     y + shift + 0.75 * size});
                }
            }
        }
    }
    return texts;
}

bool overlap(const Text& a, const Text& b)
{
    const double across = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
    const double up = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
    return across > tolerance && up > tolerance;
}

// What the check of one drawing finds.
struct DrawingReport {
    std::vector<std::string> overlaps;  // "owner 'text' and owner 'text'"
    double smallest_pt = 0.0;           // the smallest text
    double width_pt = 0.0;              // the SVG's width, the layout's plus Graphviz's 4 pt pad
    double smallest_px = 0.0;           // the smallest text shown at 1280 px
    std::string ground;                 // the graph's bgcolor
    std::size_t texts = 0;
};

DrawingReport check_drawing(const std::string& path)
{
    const support::Run laid_out = support::run("dot -Tjson '" + path + "'");
    REQUIRE(laid_out.status == 0);
    const nlohmann::json graph = nlohmann::json::parse(laid_out.out);
    DrawingReport r;
    const std::vector<Text> texts = texts_of(graph);
    REQUIRE_FALSE(texts.empty());
    r.texts = texts.size();
    for (std::size_t i = 0; i < texts.size(); ++i) {
        for (std::size_t j = i + 1; j < texts.size(); ++j) {
            if (overlap(texts[i], texts[j])) {
                r.overlaps.push_back(texts[i].owner + " '" + texts[i].text + "' and " + texts[j].owner + " '" +
                                     texts[j].text + "'");
            }
        }
    }
    r.smallest_pt = std::min_element(texts.begin(), texts.end(), [](const Text& a, const Text& b) {
                        return a.size < b.size;
                    })->size;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    char comma = 0;
    std::istringstream bb(graph.at("bb").get<std::string>());
    bb >> x0 >> comma >> y0 >> comma >> x1 >> comma >> y1;
    r.width_pt = x1 - x0 + 8.0;
    // Shown at its natural width (1 pt = 4/3 CSS px), scaled down to the column if wider.
    const double shown_px = std::min(column_px, r.width_pt * px_per_pt);
    r.smallest_px = r.smallest_pt * shown_px / r.width_pt;
    r.ground = graph.value("bgcolor", std::string());
    return r;
}

std::string report_text(const DrawingReport& r)
{
    std::ostringstream out;
    out << r.texts << " texts, the smallest " << r.smallest_pt << " pt in a drawing " << r.width_pt << " pt wide: "
        << r.smallest_px << " px at 1280; " << r.overlaps.size() << " overlapping pairs";
    for (const std::string& o : r.overlaps) {
        out << "\n  " << o;
    }
    return out.str();
}

// A new empty directory under /tmp, removed with its files when the test is done.
struct TempDir {
    std::string path;
    TempDir()
    {
        char name[] = "/tmp/test_figures-XXXXXX";
        REQUIRE(mkdtemp(name) != nullptr);
        path = name;
    }
    ~TempDir()
    {
        if (DIR* d = opendir(path.c_str())) {
            while (const dirent* e = readdir(d)) {
                const std::string f = e->d_name;
                if (f != "." && f != "..") {
                    std::remove((path + "/" + f).c_str());
                }
            }
            closedir(d);
        }
        rmdir(path.c_str());
    }
};

}  // namespace

TEST_CASE("Every drawing the book's programs write is legible at 1280 px, with no two texts overlapping",
          "[figures]")
{
    const std::vector<std::string> drawings = split(BOOK_DRAWINGS);
    REQUIRE(drawings.size() >= 9);  // chapter 3's neuron, chapter 4's network, the walk's seven
    TempDir dir;
    std::set<std::string> ran;
    for (const std::string& drawing : drawings) {
        const std::string program = drawing.substr(0, drawing.find('.'));
        if (ran.insert(program).second) {
            INFO(program << " --figures " << dir.path);
            REQUIRE(support::run(std::string(BOOK_BIN_DIR) + "/" + program + " --figures " + dir.path).status == 0);
        }
        const std::string path = dir.path + "/" + drawing;
        INFO("drawing " << drawing);
        REQUIRE_FALSE(support::slurp(path).empty());
        const DrawingReport r = check_drawing(path);
        INFO(report_text(r));
        CHECK(r.overlaps.empty());
        CHECK(r.smallest_px >= min_text_px);
        CHECK(r.ground == "white");
        // Its Chinese variant, as the build makes it: every word translated, and as legible.
        const std::string zh = path.substr(0, path.size() - 4) + ".zh.dot";
        const support::Run translated = support::run(std::string(BOOK_PYTHON) + " " + BOOK_SOURCE_DIR +
                                                     "/docs/zh/figure_terms.py '" + path + "' '" + zh + "'");
        INFO(translated.err);
        REQUIRE(translated.status == 0);
        const DrawingReport c = check_drawing(zh);
        INFO("the Chinese variant: " << report_text(c));
        CHECK(c.overlaps.empty());
        CHECK(c.smallest_px >= min_text_px);
        CHECK(c.ground == "white");
    }
}

TEST_CASE("The backward walk is seven drawings, one per step of the source's seven figures", "[figures]")
{
    std::vector<std::string> walk;
    for (const std::string& drawing : split(BOOK_DRAWINGS)) {
        if (drawing.find(".walk") != std::string::npos) {
            walk.push_back(drawing.substr(drawing.find('.') + 1));
        }
    }
    std::sort(walk.begin(), walk.end());
    CHECK(walk == std::vector<std::string>{"walk1.dot", "walk2.dot", "walk3.dot", "walk4.dot", "walk5.dot",
                                           "walk6.dot", "walk7.dot"});
}

TEST_CASE("Every gnuplot script draws at a fixed size on white, in fonts of at least 12, in English and Chinese",
          "[figures]")
{
    const std::vector<std::string> plots = split(BOOK_PLOTS);
    REQUIRE(plots.size() >= 8);
    // gnuplot's SVG units are CSS px; a plot at most 960 wide is shown at its natural size.
    // The Chinese variant (ARG3 "zh") names a font with Chinese glyphs, at the same size.
    const std::regex terminal(
        R"re(set terminal svg size (\d+),(\d+) fixed enhanced font \(zh \? "WenQuanYi Micro Hei,(\d+)" : "sans,\3"\) background rgb "white")re");
    const std::regex font(R"re(font\s+"[^",]*,(\d+(\.\d+)?)")re");
    const std::regex enhanced_size(R"re(\{/[^}=]*=(\d+(\.\d+)?))re");
    for (const std::string& plot : plots) {
        INFO("script " << plot);
        const std::string script = support::slurp(std::string(BOOK_SOURCE_DIR) + "/" + plot);
        REQUIRE_FALSE(script.empty());
        std::smatch m;
        REQUIRE(std::regex_search(script, m, terminal));
        CHECK(std::stoi(m[1]) <= column_px);
        for (const std::regex* r : {&font, &enhanced_size}) {
            for (std::sregex_iterator i(script.begin(), script.end(), *r), end; i != end; ++i) {
                INFO("font size in " << (*i)[0]);
                CHECK(std::stod((*i)[1]) >= min_text_px);
            }
        }
    }
}

// Not run by default: checks the drawings in the directory $BOOK_FIGURES_DIR, e.g. the
// ones an older build wrote, with the rules above.
TEST_CASE("The drawings in $BOOK_FIGURES_DIR are legible, with no two texts overlapping", "[.][figures]")
{
    const char* dir = std::getenv("BOOK_FIGURES_DIR");
    REQUIRE(dir != nullptr);
    std::vector<std::string> files;
    if (DIR* d = opendir(dir)) {
        while (const dirent* e = readdir(d)) {
            const std::string f = e->d_name;
            if (f.size() > 4 && f.compare(f.size() - 4, 4, ".dot") == 0) {
                files.push_back(f);
            }
        }
        closedir(d);
    }
    std::sort(files.begin(), files.end());
    REQUIRE_FALSE(files.empty());
    for (const std::string& f : files) {
        const DrawingReport r = check_drawing(std::string(dir) + "/" + f);
        INFO("drawing " << f << ": " << report_text(r));
        CHECK(r.overlaps.empty());
        CHECK(r.smallest_px >= min_text_px);
        CHECK(r.ground == "white");
    }
}
