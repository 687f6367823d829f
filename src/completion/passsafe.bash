# bash completion for passsafe: its commands and each command's options.
_passsafe() {
    local current=${COMP_WORDS[COMP_CWORD]} command=""
    local word
    for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        case $word in
            get|exec|set|reject|status|stop|list|help|version) command=$word; break ;;
        esac
    done
    local words
    case $command in
        "") words="get exec set reject status stop list help version --duration --secret --from-file --uses --idle --port --session --background --help --version" ;;
        get|reject) words="--port --url --secret --help" ;;
        set) words="--port --url --secret --from-file --help" ;;
        stop) words="--port --url --help" ;;
        exec) words="--port --url --env --file --help --" ;;
        status) words="--port --url --json --help" ;;
        list) words="--json --help" ;;
        help) words="get exec set reject status stop list version" ;;
        *) words="" ;;
    esac
    COMPREPLY=($(compgen -W "$words" -- "$current"))
}
complete -F _passsafe passsafe
