// Private to cli/serve.cc: deadlines for what runs long in the server.
#pragma once

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace sinew::cli {

using Clock = std::chrono::steady_clock;

// How long a connection may take to send its whole request.
constexpr auto kRequestReadLimit = std::chrono::seconds(5);

// The peer port of a socket: what ties httplib's Request to its connection.
inline int PeerPort(int sock) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return -1;
}

// Deadlines for what runs long. A request's answer: its cancel flag is
// raised at the deadline, and the analysis stops. A connection that is
// still sending its request (or idles between requests) past
// kRequestReadLimit: its socket is shut down, which ends the worker's read.
// httplib does not say which socket a worker reads, so the watchdog looks
// at the process's own connected sockets (/proc/self/fd) and tells them
// apart by their peer's port, which the handlers see in each request.
class Watchdog {
 public:
  Watchdog() : thread_([this] { Loop(); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  using Handle = std::list<std::pair<Clock::time_point, std::atomic<bool>*>>::iterator;
  Handle Add(Clock::time_point deadline, std::atomic<bool>* flag) {
    std::lock_guard<std::mutex> lock(mu_);
    answers_.emplace_front(deadline, flag);
    return answers_.begin();
  }
  void Remove(Handle h) {
    std::lock_guard<std::mutex> lock(mu_);
    answers_.erase(h);
  }

  // The connection from `port` has sent a whole request and is being
  // answered (true), or has been answered (false). Kept by port, since a
  // request may be read before the watchdog's next look has seen its socket.
  void Answering(int port, bool answering) {
    std::lock_guard<std::mutex> lock(mu_);
    Peer& p = peers_[port];
    p.answering = answering;
    p.since = Clock::now();
  }

 private:
  struct Connection {
    Clock::time_point since;  // first seen
    bool seen = false;
  };
  struct Peer {
    Clock::time_point since;  // its last request began or ended
    bool answering = false;
  };

  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::milliseconds(200));
      auto now = Clock::now();
      for (auto& [deadline, flag] : answers_)
        if (deadline <= now) flag->store(true);
      Reap(now);
    }
  }

  void Reap(Clock::time_point now) {
    for (auto& [key, c] : connections_) c.seen = false;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
      while (dirent* e = ::readdir(dir)) {
        int fd = std::atoi(e->d_name);
        if (fd <= 2) continue;
        char target[64];
        std::string path = std::string("/proc/self/fd/") + e->d_name;
        ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
        if (n <= 0 || std::string_view(target, static_cast<size_t>(n)).rfind("socket:", 0) != 0)
          continue;
        int port = PeerPort(fd);
        if (port < 0) continue;  // the listening socket, or not connected
        auto [it, fresh] = connections_.try_emplace({fd, port}, Connection{now, true});
        it->second.seen = true;
        Clock::time_point since = it->second.since;
        if (auto p = peers_.find(port); p != peers_.end()) {
          if (p->second.answering) continue;
          since = std::max(since, p->second.since);
        }
        if (now - since > kRequestReadLimit) {
          ::shutdown(fd, SHUT_RDWR);
          it->second.since = now;  // once; the worker then closes it
        }
      }
      ::closedir(dir);
    }
    std::set<int> open_ports;
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (it->second.seen) open_ports.insert(it->first.second);
      it = it->second.seen ? std::next(it) : connections_.erase(it);
    }
    // A peer is forgotten once no connection from its port is open and it
    // is not being answered.
    for (auto it = peers_.begin(); it != peers_.end();)
      it = open_ports.count(it->first) || it->second.answering ? std::next(it) : peers_.erase(it);
  }

  std::mutex mu_;
  std::condition_variable wake_;
  std::list<std::pair<Clock::time_point, std::atomic<bool>*>> answers_;
  std::map<std::pair<int, int>, Connection> connections_;  // (fd, peer port)
  std::map<int, Peer> peers_;                              // by peer port
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sinew::cli
