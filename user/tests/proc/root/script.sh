#!/proctest script_child
