// tornado — every public module at once.
#pragma once

#include "escape.hpp"
#include "concurrent.hpp"
#include "database.hpp"
#include "gen.hpp"
#include "httpclient.hpp"
#include "httpserver.hpp"
#include "httputil.hpp"
#include "ioloop.hpp"
#include "locale.hpp"
#include "locks.hpp"
#include "log.hpp"
#include "options.hpp"
#include "util.hpp"
#include "web.hpp"
#include "websocket.hpp"
