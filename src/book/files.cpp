#include "book/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <random>
#include <set>
#include <stdexcept>

#include "book/text.hpp"

namespace book {

namespace {

[[noreturn]] void fail(const std::string& flag, const std::string& path, const std::string& why)
{
    throw FileError((flag.empty() ? "" : flag + ": ") + quote(path) + " " + why);
}

std::string reason(int err) { return std::strerror(err); }

// What a file that is not regular is, for a message.
std::string kind_of(mode_t mode)
{
    if (S_ISDIR(mode)) {
        return "is a directory, not a file";
    }
    if (S_ISCHR(mode)) {
        return "is a character device (like /dev/null), not a regular file";
    }
    if (S_ISBLK(mode)) {
        return "is a block device, not a regular file";
    }
    if (S_ISFIFO(mode)) {
        return "is a FIFO (a named pipe), not a regular file";
    }
    if (S_ISSOCK(mode)) {
        return "is a socket, not a regular file";
    }
    return "is not a regular file";
}

// Why a path could not be looked up, for a message.
std::string lookup_failure(int err)
{
    switch (err) {
    case ENOENT: return "does not exist";
    case ENOTDIR: return "has a part that is not a directory";
    case ENAMETOOLONG: return "has a part longer than the 255 bytes a file name can have";
    case ELOOP: return "goes through too many symbolic links";
    case EACCES: return "cannot be reached: permission denied";
    default: return "cannot be looked up: " + reason(err);
    }
}

void check_value(const std::string& path, const std::string& flag, const char* what)
{
    if (path.empty()) {
        throw FileError(flag + ": the value is empty; give " + what);
    }
    if (path.size() > longest_path) {
        throw FileError(flag + ": the path is " + std::to_string(path.size()) + " bytes long; the longest is " +
                        std::to_string(longest_path) + " (" + quote(path) + ")");
    }
    if (path.find('\0') != std::string::npos) {
        throw FileError(flag + ": the path " + quote(path) + " contains a NUL byte");
    }
}

// The directory part of a path: "a/b" -> "a", "b" -> ".", "/b" -> "/".
std::string directory_of(const std::string& path)
{
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path)
{
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The file a path writes to: the path itself, or the end of its chain of symbolic links
// (a relative link is taken from the link's directory). Errors other than a missing
// final name are reported by the caller's lstat.
std::string follow_links(const std::string& path)
{
    std::string p = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
            return p;
        }
        std::string target(4096, '\0');
        const ssize_t n = ::readlink(p.c_str(), target.data(), target.size());
        if (n < 0 || static_cast<std::size_t>(n) >= target.size()) {
            return p;
        }
        target.resize(static_cast<std::size_t>(n));
        p = target.front() == '/' ? target : directory_of(p) + "/" + target;
    }
    return p;
}

std::string random_suffix()
{
    static std::mt19937_64 engine{std::random_device{}() ^ (static_cast<std::uint64_t>(::getpid()) << 32)};
    char buf[24];
    std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(engine() & 0xFFFFFFFFFFFFull));
    return buf;
}

mode_t current_umask()
{
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return mask;
}

// An unnamed file in dir (O_TMPFILE), or -1 with errno set when the file system has none.
int open_unnamed(const std::string& dir)
{
#ifdef O_TMPFILE
    return ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
#else
    (void)dir;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

bool no_unnamed_files(int err) { return err == EOPNOTSUPP || err == EISDIR || err == EINVAL || err == ENOSYS; }

// Creates and removes a file in dir, to learn before any work that saving will work.
// Returns 0 or the errno of the failure.
int try_create_in(const std::string& dir)
{
    int fd = open_unnamed(dir);
    if (fd < 0 && no_unnamed_files(errno)) {
        std::string name = dir + "/.check." + random_suffix() + ".tmp";
        fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::unlink(name.c_str());
        }
    }
    if (fd < 0) {
        return errno;
    }
    ::close(fd);
    return 0;
}

void check_directory(const std::string& dir, const std::string& flag, const std::string& shown_path)
{
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        const int err = errno;
        fail(flag, shown_path, err == ENOENT ? "is in a directory that does not exist (" + quote(dir) + ")"
                                             : "is in a directory that " + lookup_failure(err));
    }
    if (!S_ISDIR(st.st_mode)) {
        fail(flag, shown_path, "is under " + quote(dir) + ", which is not a directory");
    }
    if (const int err = try_create_in(dir)) {
        fail(flag, shown_path, "cannot be written: no file can be created in " + quote(dir) + " (" + reason(err) + ")");
    }
}

}  // namespace

void check_output_file(const std::string& path, const std::string& flag)
{
    check_value(path, flag, "a file name");
    if (path.back() == '/') {
        fail(flag, path, "ends in '/': give a file name, not a directory");
    }
    const std::string target = follow_links(path);
    struct stat st {};
    if (::lstat(target.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            fail(flag, path, "goes through too many symbolic links");
        }
        if (!S_ISREG(st.st_mode)) {
            fail(flag, path, kind_of(st.st_mode));
        }
    } else if (errno != ENOENT) {
        fail(flag, path, lookup_failure(errno));
    }
    check_directory(directory_of(target), flag, path);
}

void check_output_directory(const std::string& dir, const std::string& flag)
{
    check_value(dir, flag, "a directory");
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        fail(flag, dir, lookup_failure(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        fail(flag, dir, "is not a directory");
    }
    if (const int err = try_create_in(dir)) {
        fail(flag, dir, "is a directory in which no file can be created (" + reason(err) + ")");
    }
}

namespace {

// Opens a regular file for reading without blocking (a FIFO with no writer would block
// a plain open) and checks its kind and size; returns the descriptor.
int open_input(const std::string& path, const std::string& flag, std::size_t max_bytes, std::size_t& size)
{
    check_value(path, flag, "a file name");
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        fail(flag, path, err == EACCES ? "cannot be read: permission denied" : lookup_failure(err));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const mode_t mode = st.st_mode;
        ::close(fd);
        fail(flag, path, kind_of(mode));
    }
    size = static_cast<std::size_t>(st.st_size);
    if (size > max_bytes) {
        ::close(fd);
        fail(flag, path,
             "is " + std::to_string(size) + " bytes; the largest file this program reads is " +
                 std::to_string(max_bytes) + " bytes");
    }
    return fd;
}

}  // namespace

void check_input_file(const std::string& path, const std::string& flag, std::size_t max_bytes)
{
    std::size_t size = 0;
    ::close(open_input(path, flag, max_bytes, size));
}

std::string read_file(const std::string& path, const std::string& flag, std::size_t max_bytes)
{
    std::size_t size = 0;
    const int fd = open_input(path, flag, max_bytes, size);
    std::string text;
    text.reserve(size);
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            fail(flag, path, "cannot be read: " + reason(err));
        }
        if (n == 0) {
            break;
        }
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > max_bytes) {
            ::close(fd);
            fail(flag, path, "grew past the " + std::to_string(max_bytes) + " bytes this program reads");
        }
    }
    ::close(fd);
    return text;
}

namespace {

// One file of a write: where it goes and the temporary file that holds it until then.
struct Pending {
    std::string path;       // as given
    std::string target;     // the file replaced: path, or the end of its symbolic links
    std::string dir;        // target's directory
    int fd = -1;            // the temporary file, written and synced
    std::string temp;       // its name, once it has one
    bool existed = false;   // target existed before
    std::string backup;     // a second name of the replaced file, while a set is renamed
    bool renamed = false;   // temp has replaced target
};

void remove_name(std::string& name)
{
    if (!name.empty()) {
        ::unlink(name.c_str());
        name.clear();
    }
}

void discard(std::vector<Pending>& files)
{
    for (Pending& f : files) {
        remove_name(f.temp);
        remove_name(f.backup);
        if (f.fd >= 0) {
            ::close(f.fd);
            f.fd = -1;
        }
    }
}

[[noreturn]] void fail_write(std::vector<Pending>& files, const std::string& path, const std::string& why)
{
    discard(files);
    throw FileError(quote(path) + " could not be written: " + why);
}

void write_all(int fd, const std::string& text)
{
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw errno;
        }
        done += static_cast<std::size_t>(n);
    }
}

// Gives the unnamed temporary file of f a name beside its target, so that it can be
// renamed over it.
bool name_temp(Pending& f)
{
    if (!f.temp.empty()) {
        return true;
    }
    const std::string proc = "/proc/self/fd/" + std::to_string(f.fd);
    for (int attempt = 0; attempt < 8; ++attempt) {
        const std::string name = f.dir + "/." + name_of(f.target) + "." + random_suffix() + ".tmp";
        if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
            f.temp = name;
            return true;
        }
        if (errno != EEXIST) {
            return false;
        }
    }
    return false;
}

void sync_directory(const std::string& dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Puts back what the renames of a set changed, newest first.
void roll_back(std::vector<Pending>& files)
{
    for (auto it = files.rbegin(); it != files.rend(); ++it) {
        if (!it->renamed) {
            continue;
        }
        if (it->existed && !it->backup.empty()) {
            if (::rename(it->backup.c_str(), it->target.c_str()) == 0) {
                it->backup.clear();
            }
        } else if (!it->existed) {
            ::unlink(it->target.c_str());
        }
        it->renamed = false;
    }
}

}  // namespace

void write_file(const std::string& path, const std::string& text) { write_files({{path, text}}); }

void write_files(const std::vector<FileText>& files)
{
    std::vector<Pending> pending;
    const mode_t mask = current_umask();
    // 1. Every file into a temporary file beside its target, synced: this is where a full
    //    disk or a quota shows, and nothing visible has changed yet.
    for (const FileText& file : files) {
        Pending f;
        f.path = file.path;
        if (file.path.empty() || file.path.size() > longest_path) {
            fail_write(pending, file.path, "the path is empty or too long");
        }
        f.target = follow_links(file.path);
        f.dir = directory_of(f.target);
        struct stat st {};
        if (::lstat(f.target.c_str(), &st) == 0) {
            if (!S_ISREG(st.st_mode)) {
                fail_write(pending, file.path, "it " + kind_of(st.st_mode));
            }
            f.existed = true;
        } else if (errno != ENOENT) {
            fail_write(pending, file.path, "it " + lookup_failure(errno));
        }
        f.fd = open_unnamed(f.dir);
        if (f.fd < 0 && no_unnamed_files(errno)) {
            std::string name = f.dir + "/." + name_of(f.target) + ".XXXXXX.tmp";
            f.fd = ::mkostemps(name.data(), 4, O_CLOEXEC);
            if (f.fd >= 0) {
                f.temp = name;
                ::fchmod(f.fd, 0666 & ~mask);
            }
        }
        if (f.fd < 0) {
            const int err = errno;
            pending.push_back(f);
            fail_write(pending, file.path, "no file can be created in " + quote(f.dir) + " (" + reason(err) + ")");
        }
        pending.push_back(f);
        Pending& p = pending.back();
        try {
            write_all(p.fd, file.text);
        } catch (int err) {
            fail_write(pending, file.path, reason(err));
        }
        if (p.existed) {
            ::fchmod(p.fd, st.st_mode & 07777);
            if (::fchown(p.fd, st.st_uid, st.st_gid) != 0) {
                // Only the owner's own group, or root, may give a file away: keep the mode.
            }
        }
        if (::fsync(p.fd) != 0) {
            fail_write(pending, file.path, reason(errno));
        }
    }
    // 2. Each temporary file renamed over its target. A set keeps a second name of each
    //    file it replaces until all are renamed, to put them back if one rename fails.
    const bool is_set = pending.size() > 1;
    for (Pending& f : pending) {
        if (!name_temp(f)) {
            const int err = errno;
            roll_back(pending);
            fail_write(pending, f.path, "cannot name a file in " + quote(f.dir) + " (" + reason(err) + ")");
        }
        if (is_set && f.existed) {
            const std::string backup = f.dir + "/." + name_of(f.target) + "." + random_suffix() + ".old";
            if (::link(f.target.c_str(), backup.c_str()) == 0) {
                f.backup = backup;
            }
        }
        if (::rename(f.temp.c_str(), f.target.c_str()) != 0) {
            const int err = errno;
            roll_back(pending);
            fail_write(pending, f.path, reason(err));
        }
        f.temp.clear();
        f.renamed = true;
    }
    std::set<std::string> dirs;
    for (Pending& f : pending) {
        dirs.insert(f.dir);
    }
    for (const std::string& dir : dirs) {
        sync_directory(dir);
    }
    // 3. Is the file on disk the one written? Another program saving to the same path at
    //    the same moment may have renamed its own file over it.
    std::string lost;
    for (Pending& f : pending) {
        struct stat mine {}, now {};
        if (::fstat(f.fd, &mine) == 0 && (::stat(f.target.c_str(), &now) != 0 || now.st_ino != mine.st_ino ||
                                            now.st_dev != mine.st_dev)) {
            lost = f.path;
        }
        remove_name(f.backup);
        ::close(f.fd);
        f.fd = -1;
    }
    if (!lost.empty()) {
        throw FileError(quote(lost) +
                        " was replaced by another program while this one was saving it: the file there now is "
                        "not this run's");
    }
}

void write_and_list(const std::vector<FileText>& files, std::ostream& out)
{
    write_files(files);
    for (const FileText& f : files) {
        out << "wrote " << f.path << '\n';
    }
}

std::string tsv(const std::vector<std::string>& header, const std::vector<std::vector<double>>& rows)
{
    std::string out = "#";
    for (const auto& h : header) {
        out += " " + h;
    }
    out += "\n";
    for (const auto& row : rows) {
        if (row.size() != header.size()) {
            throw std::invalid_argument("a table row has " + std::to_string(row.size()) + " entries; the header has " +
                                        std::to_string(header.size()));
        }
        for (std::size_t k = 0; k < row.size(); ++k) {
            out += (k ? "\t" : "") + format_number(row[k], 17);
        }
        out += "\n";
    }
    return out;
}

std::string join_path(const std::string& dir, const std::string& name)
{
    if (dir.empty()) {
        return name;
    }
    return dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace book
