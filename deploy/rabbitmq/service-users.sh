# The services' RabbitMQ users (deploy/rabbitmq/users.conf) as RabbitMQ definitions, for `rabbitmqctl import_definitions`.
# Sourced by deploy/local/servers.sh and by the docker-compose broker (deploy/rabbitmq/docker-entrypoint.sh); needs bash.
#
#   lr_rabbit_service_users                   the user names, one a line
#   lr_rabbit_service_password USER           its password: LR_RABBIT_<USER>_PASSWORD, else <user>-dev
#   lr_rabbit_service_definitions VHOST...    JSON with every user (its password) and its permissions on each VHOST
#
# An import creates a missing user, sets the password and permissions of an existing one, and leaves everything else
# (other users, queues, exchanges) as it is, so it can run at every start.

LR_RABBIT_USERS_CONF=${LR_RABBIT_USERS_CONF:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/users.conf}

# The user read so far (the parser's locals, by bash's dynamic scope), complete or an error.
_lr_rabbit_users_flush() {
  [ -z "$user" ] && return 0
  local missing=()
  [ -n "$configure" ] || missing+=(configure)
  [ -n "$write" ] || missing+=(write)
  [ -n "$read" ] || missing+=(read)
  if [ ${#missing[@]} -gt 0 ]; then
    printf '%s line %d: user [%s] has no %s\n' "$file" "$section_line" "$user" "${missing[*]}" >&2
    return 1
  fi
  printf '%s\t%s\t%s\t%s\n' "$user" "$configure" "$write" "$read"
}

# Prints "user<TAB>configure<TAB>write<TAB>read" per user; fails naming the line of anything it cannot read.
_lr_rabbit_users_parse() {
  local file=$LR_RABBIT_USERS_CONF line number=0 user='' configure='' write='' read='' section_line=0
  [ -r "$file" ] || { printf 'users.conf: cannot read %s\n' "$file" >&2; return 1; }
  while IFS= read -r line || [ -n "$line" ]; do
    number=$((number + 1))
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
    if [[ $line =~ ^\[([a-z][a-z0-9-]*)\]$ ]]; then
      _lr_rabbit_users_flush || return 1
      user=${BASH_REMATCH[1]} configure='' write='' read='' section_line=$number
    elif [[ $line =~ ^(configure|write|read)[[:space:]]*=[[:space:]]*(\^.*\$)$ ]]; then
      [ -n "$user" ] || { printf '%s line %d: %s before any [user]\n' "$file" "$number" "${BASH_REMATCH[1]}" >&2; return 1; }
      printf -v "${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}"
    else
      printf '%s line %d: expected [user], or configure/write/read = ^regular expression$, got: %s\n' "$file" "$number" "$line" >&2
      return 1
    fi
  done <"$file"
  _lr_rabbit_users_flush
}

lr_rabbit_service_users() {
  local users
  users=$(_lr_rabbit_users_parse) || return 1
  cut -f1 <<<"$users"
}

lr_rabbit_service_password() {
  local variable=LR_RABBIT_${1^^}_PASSWORD
  variable=${variable//-/_}
  printf '%s\n' "${!variable:-$1-dev}"
}

_lr_json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

lr_rabbit_service_definitions() {
  [ $# -gt 0 ] || { echo "lr_rabbit_service_definitions: name at least one virtual host" >&2; return 1; }
  local parsed user configure write read vhost users=() permissions=() joined
  parsed=$(_lr_rabbit_users_parse) || return 1
  while IFS=$'\t' read -r user configure write read; do
    users+=("{\"name\":$(_lr_json_string "$user"),\"password\":$(_lr_json_string "$(lr_rabbit_service_password "$user")"),\"tags\":\"\"}")
    for vhost in "$@"; do
      permissions+=("{\"user\":$(_lr_json_string "$user"),\"vhost\":$(_lr_json_string "$vhost"),\"configure\":$(_lr_json_string "$configure"),\"write\":$(_lr_json_string "$write"),\"read\":$(_lr_json_string "$read")}")
    done
  done <<<"$parsed"
  joined=$(IFS=,; echo "${users[*]}")
  printf '{"users":[%s],' "$joined"
  joined=$(IFS=,; echo "${permissions[*]}")
  printf '"permissions":[%s]}\n' "$joined"
}
